import Datasets

extension Autoencoder {
    /// The model's output for a batch, `[batch, featureCount]`: the corrupted images `noisy` in; for an
    /// inpainting CVAE, the `clean` images into the encoder and the corrupted ones as the condition; a
    /// label-conditioned model gets `labels` (filled by `fillLabels`).
    func run(clean: Tensor, noisy: Tensor, labels: Tensor, mode: ExecutionMode) -> Tensor {
        switch conditioning {
        case .none: forward(noisy, mode: mode)
        case .label: forward(noisy, condition: labels, mode: mode)
        case .corruptedImage: forward(clean, condition: noisy, mode: mode)
        }
    }

    /// Makes `labels` the one-hot labels, `[indices.count, classCount]`, of the images at `indices` of
    /// `images`, when the model is conditioned on labels (otherwise leaves it as it is).
    func fillLabels(_ labels: Tensor, of images: ImageSet, at indices: some Collection<Int>) {
        guard case .label(let classCount) = conditioning else { return }
        labels.reshape(to: [indices.count, classCount])
        labels.scalars.withUnsafeMutableBufferPointer { condition in
            condition.update(repeating: 0)
            for (row, index) in indices.enumerated() {
                let label = images.label(at: index)
                if label < classCount { condition[row * classCount + label] = 1 }
            }
        }
    }
}
