/// Lets a layer that computes on plain NCHW images take a channel-blocked input: reorders the input to
/// plain for its forward pass and its input gradient back to the input's layout. A convolution on oneDNN
/// uses it when the library has only a reference kernel for its shape (e.g. the weight gradient of a
/// 1-channel first layer with AVX2 alone) and it runs its own lowering instead.
final class PlainLayoutAdapter {
    typealias Library = DeepNeuralNetworkLibrary
    private let stream = Library.Stream()
    private var reorders: (shape: [Int], layout: TensorLayout, toPlain: LayoutReorder, back: LayoutReorder)?
    private var inputLayout = TensorLayout.plain
    private let plainInput = Tensor(shape: [0])
    private let gradient = Tensor(shape: [0])

    /// `input` itself if it is plain, else a plain copy.
    func plain(_ input: Tensor) -> Tensor {
        inputLayout = input.layout
        guard input.layout != .plain else { return input }
        let reorders = reorders(for: input.shape, layout: input.layout)
        plainInput.reshape(to: input.shape)
        plainInput.layout = .plain
        LentValues.withPointers([.tensor(input), .tensor(plainInput)]) { reorders.toPlain.run(from: $0[0], to: $0[1], on: stream) }
        return plainInput
    }

    /// ∂loss/∂input in the layout the last input came in.
    func restore(_ plainGradient: Tensor) -> Tensor {
        guard inputLayout != .plain else { return plainGradient }
        let reorders = reorders(for: plainGradient.shape, layout: inputLayout)
        gradient.reshape(to: plainGradient.shape)
        gradient.layout = inputLayout
        LentValues.withPointers([.tensor(plainGradient), .tensor(gradient)]) { reorders.back.run(from: $0[0], to: $0[1], on: stream) }
        return gradient
    }

    private func reorders(for shape: [Int], layout: TensorLayout) -> (toPlain: LayoutReorder, back: LayoutReorder) {
        if let reorders, reorders.shape == shape, reorders.layout == layout { return (reorders.toPlain, reorders.back) }
        let blocked = Library.MemoryDescriptor(shape: shape, format: layout.format)
        let plain = Library.MemoryDescriptor(shape: shape, format: .plain)
        let made = (shape, layout, LayoutReorder(from: blocked, to: plain), LayoutReorder(from: plain, to: blocked))
        reorders = made
        return (made.2, made.3)
    }
}
