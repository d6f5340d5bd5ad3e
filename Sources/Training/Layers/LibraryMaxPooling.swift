/// The passes of `MaxPool2D` on oneDNN's pooling primitives, for channel-blocked images
/// (`TensorLayout.channelBlocked`) that stay in their layout between two convolutions; plain images keep the
/// layer's own kernels. Windows are `size × size`, non-overlapping; a remainder row or column is dropped.
final class LibraryMaxPooling {
    typealias Library = DeepNeuralNetworkLibrary

    private struct Situation: Hashable {
        var shape: [Int]
        var layout: TensorLayout
    }

    private final class Plan {
        let forward: Library.Primitive
        let backward: Library.Primitive
        let source: Library.Memory
        let destination: Library.Memory
        /// The record of where each maximum came from, which only the library reads.
        let workspace: Library.Memory
        let outputShape: [Int]

        init(_ descriptors: (forward: Library.PrimitiveDescriptor, backward: Library.PrimitiveDescriptor)) {
            forward = Library.Primitive(descriptors.forward)
            backward = Library.Primitive(descriptors.backward)
            source = Library.Memory(descriptors.forward.descriptor(of: .source))
            let destinationDescriptor = descriptors.forward.descriptor(of: .destination)
            destination = Library.Memory(destinationDescriptor)
            workspace = Library.Memory(allocating: descriptors.forward.descriptor(of: .workspace))
            outputShape = destinationDescriptor.shape
        }
    }

    let size: Int
    private let stream = Library.Stream()
    private var plans: [Situation: Plan] = [:]
    private var plan: Plan?
    private var inputShape: [Int] = []
    private var layout = TensorLayout.plain
    private let output = Tensor(shape: [0])
    private let inputGradient = Tensor(shape: [0])

    init(size: Int) {
        self.size = size
    }

    /// `[batch, channels, height, width]` in a channel-blocked layout → `[batch, channels, height / size,
    /// width / size]` in the same layout.
    func forward(_ input: Tensor) -> Tensor {
        let situation = Situation(shape: input.shape, layout: input.layout)
        let plan: Plan
        if let existing = plans[situation] {
            plan = existing
        } else {
            let source = Library.MemoryDescriptor(shape: input.shape, format: input.layout.format)
            guard let descriptors = Library.maxPoolingDescriptors(source: source, size: size) else {
                preconditionFailure("oneDNN cannot pool \(input.shape) in \(input.layout)")
            }
            plan = Plan(descriptors)
            plans[situation] = plan
        }
        self.plan = plan
        inputShape = input.shape
        layout = input.layout
        output.reshape(to: plan.outputShape)
        output.layout = input.layout
        LentValues.withPointers([.tensor(input), .tensor(output)]) { pointers in
            plan.forward.execute(
                on: stream,
                [(.source, plan.source, pointers[0]), (.destination, plan.destination, pointers[1]), (.workspace, plan.workspace, nil)])
        }
        return output
    }

    /// ∂loss/∂input from ∂loss/∂output of the last forward pass, both in its layout.
    func backward(_ outputGradient: Tensor) -> Tensor {
        guard let plan else { preconditionFailure("a pooling's backward pass before its forward pass") }
        precondition(outputGradient.shape == plan.outputShape && outputGradient.layout == layout, "pooling backward got \(outputGradient.shape)")
        inputGradient.reshape(to: inputShape)
        inputGradient.layout = layout
        LentValues.withPointers([.tensor(outputGradient), .tensor(inputGradient)]) { pointers in
            plan.backward.execute(
                on: stream,
                [
                    (.diffDestination, plan.destination, pointers[0]), (.diffSource, plan.source, pointers[1]),
                    (.workspace, plan.workspace, nil),
                ])
        }
        return inputGradient
    }
}
