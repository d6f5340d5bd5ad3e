// A training step taken apart, so that benchmarks can time each phase on its own.

/// One training step of a `Trainer` as separate calls, in this order: `prepareBatch(indices:)` (data and
/// noise), `forwardAndLoss()`, `backward()`, `optimizerStep()`. Together they do what `step(indices:)`
/// does, except that the optimizer runs even when the loss is not finite.
///
/// For a pass layer by layer, replace `forwardAndLoss()` and `backward()` with the model's layers run
/// on `noisyBatch`, `lossGradient(of:)`, and the layers' backward passes.
public struct TrainingStepPhases {
    let trainer: Trainer

    /// One whole optimisation step on the training images at `indices`: noise, forward, loss, backward, Adam.
    public func step(indices: ArraySlice<Int>) {
        _ = trainer.step(indices: indices)
    }

    /// Converts the training images at `indices` to floats and corrupts them with fresh noise.
    public func prepareBatch(indices: ArraySlice<Int>) {
        trainer.prepareBatch(indices: indices)
    }

    /// Runs the model on the prepared batch; returns the reconstruction loss (its gradient kept for `backward()`).
    @discardableResult
    public func forwardAndLoss() -> Double {
        trainer.forwardAndLoss()
    }

    /// Back-propagates the last loss through the model; returns the activity penalty.
    @discardableResult
    public func backward() -> Double {
        trainer.backward()
    }

    /// Applies the optimizer to the gradients of the last backward pass.
    public func optimizerStep() {
        trainer.optimizerStep()
    }

    /// The corrupted batch `prepareBatch(indices:)` filled, `[batch, featureCount]`: the model's input.
    public var noisyBatch: Tensor { trainer.noisyBatch }

    /// Evaluates the configured loss of `output` against the clean batch and returns its gradient with
    /// respect to `output` (a buffer of the trainer, overwritten by the next call).
    public func lossGradient(of output: Tensor) -> Tensor {
        trainer.loss(of: output).gradient
    }
}

extension Trainer {
    /// This trainer's steps, phase by phase.
    public var stepPhases: TrainingStepPhases { TrainingStepPhases(trainer: self) }
}
