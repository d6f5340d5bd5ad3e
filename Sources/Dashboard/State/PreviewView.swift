import Training

/// One epoch's reconstructions of the fixed validation images (`GET /api/preview`): each image
/// `channels × height × width`, channel-major, as bytes 0…255, the clean, noisy and denoised rows alike.
struct PreviewView: Encodable, Sendable {
    var trialId: String
    var epoch: Int
    var channels: Int
    var height: Int
    var width: Int
    var indices: [Int]
    var clean: [UInt8]
    var noisy: [UInt8]
    var denoised: [UInt8]

    init(trialId: String, epoch: Int, sample: ReconstructionSample) {
        self.trialId = trialId
        self.epoch = epoch
        channels = sample.shape.channels
        height = sample.shape.height
        width = sample.shape.width
        indices = sample.indices
        clean = sample.clean
        noisy = sample.noisy
        denoised = sample.denoised
    }
}
