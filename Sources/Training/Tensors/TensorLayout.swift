/// How a tensor's values are laid out in `Tensor.scalars`.
///
/// Between layers, and everywhere outside the training core, tensors are `.plain`. Inside a `Sequential`, a
/// convolution on oneDNN hands the next one its output in the channel-blocked layout its kernels run
/// fastest in, through the layers between that do not care (activations, dropout, pooling, upsampling),
/// and the gradients come back in the same layout; see `Sequential`.
public enum TensorLayout: Hashable, Sendable {
    /// Row-major in the order of the shape: `[batch, channels, height, width]` is NCHW.
    case plain
    /// For `[batch, channels, height, width]`: `[batch, channels/block, height, width, block]`, oneDNN's
    /// `nChw8c` (block 8) or `nChw16c` (block 16). `channels` is a multiple of `block`: no padding.
    case channelBlocked(Int)

    /// Channels per block: 1 for `.plain`.
    public var block: Int {
        switch self {
        case .plain: 1
        case .channelBlocked(let block): block
        }
    }

    /// The layout as a oneDNN memory format.
    var format: DeepNeuralNetworkLibrary.MemoryDescriptor.Format {
        switch self {
        case .plain: .plain
        case .channelBlocked(let block): .channelBlocked(block)
        }
    }

    /// The layout `descriptor` describes when it is one of these and holds `shape` without padding.
    init?(_ descriptor: DeepNeuralNetworkLibrary.MemoryDescriptor, shape: [Int]) {
        guard descriptor.byteCount == shape.reduce(1, *) * MemoryLayout<Float>.size else { return nil }
        switch descriptor.knownFormat {
        case .plain: self = .plain
        case .channelBlocked(let block): self = .channelBlocked(block)
        default: return nil
        }
    }
}
