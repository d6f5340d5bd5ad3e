import Datasets
import Foundation
import TestSupport
import Testing

/// `aesweep train` with the families, datasets and metrics beyond the dense model, as a process.
@Suite("aesweep train: model families, colored MNIST and image folders")
struct ModelZooCommandTests {
    @Test()
    func stridedConvolutionsWithBatchNormTrainOnColoredMNISTAndSaveRunningStatistics() throws {
        let directory = try TemporaryDirectory(prefix: "zoo-colored")
        let output = directory.url.appendingPathComponent("run")
        let outcome = try CommandRunner.run([
            "train", "--data-dir", GeneratedData.directory.path, "--dataset", "colored-mnist", "--colors", "per-class",
            "--family", "strided-conv", "--batch-norm", "--training-limit", "1000", "--evaluation-limit", "200",
            "--epochs", "1", "--batch-size", "32", "--loss", "bce", "--output", output.path,
        ])
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        #expect(outcome.standardOutput.contains("model strided-conv 3×28×28 → 128-64-32-16"))
        #expect(outcome.standardOutput.contains("batch norm"))
        let config = try String(contentsOf: output.appendingPathComponent("config.yaml"), encoding: .utf8)
        #expect(config.contains("colors: per-class") && config.contains("batch_norm: true"))
        let weights = try Data(contentsOf: output.appendingPathComponent("weights.safetensors"))
        let header = String(decoding: weights.prefix(8192), as: UTF8.self)
        #expect(header.contains("running_mean") && header.contains("running_var"))
    }

    @Test func inpaintingCVAEOnAnImageFolderReportsKLAndTheMaskedRegion() throws {
        let directory = try TemporaryDirectory(prefix: "zoo-folder")
        let root = directory.url.appendingPathComponent("shapes")
        // Three classes of 16×16 RGB images: a bright square, a horizontal bar, a vertical bar, jittered.
        var generator = SeededGenerator(seed: 3)
        for (label, name) in ["bars", "columns", "squares"].enumerated() {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<40 {
                let offset = Int(generator.next() % 4)
                var pixels = [UInt8](repeating: 0, count: 16 * 16 * 3)
                for y in 0..<16 {
                    for x in 0..<16 {
                        let inside =
                            switch label {
                            case 0: (6 + offset - 2..<10 + offset - 2).contains(y)
                            case 1: (6 + offset - 2..<10 + offset - 2).contains(x)
                            default: (4 + offset..<10 + offset).contains(x) && (4 + offset..<10 + offset).contains(y)
                            }
                        if inside { pixels[(y * 16 + x) * 3 + label] = 220 }
                    }
                }
                try PNGImage(width: 16, height: 16, channels: 3, pixels: pixels)
                    .write(to: folder.appendingPathComponent("\(index).png"))
            }
        }
        let outcome = try CommandRunner.run([
            "train", "--dataset", "folder:" + root.path, "--channels", "3", "--image-size", "16",
            "--family", "cvae", "--condition", "corrupted", "--encoder", "64", "--latent", "4",
            "--noise", "block-mask", "--validation-count", "12", "--epochs", "2", "--batch-size", "16",
        ])
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        #expect(outcome.standardOutput.contains("conditioned on the corrupted image"))
        #expect(outcome.standardOutput.contains("KL "))
        #expect(outcome.standardOutput.contains("masked PSNR"))
        #expect(outcome.standardOutput.contains("mean fill"))
    }

    @Test func aFolderThatIsNotThereIsNamed() throws {
        let outcome = try CommandRunner.run(["train", "--dataset", "folder:/nonexistent/digits", "--epochs", "1"])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("/nonexistent/digits"))
    }
}
