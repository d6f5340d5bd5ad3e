/// The passes of a `Conv2D` or a `ConvTranspose2D` on oneDNN's convolution primitives, in the layouts the
/// library's kernels choose for this CPU (channel-blocked activations, blocked weights).
///
/// Both layer kinds run on one convolution `C`:
/// - a `Conv2D` is `C`: its forward pass is `C`'s, with the bias and any fused ReLU; its input gradient is
///   `C`'s backward-data pass;
/// - a `ConvTranspose2D` is `C`'s adjoint, where `C` maps the layer's *output* space onto its input space:
///   the layer's forward pass is `C`'s backward-data pass, then the bias and ReLU; its input gradient is
///   `C`'s forward pass without bias. PyTorch's `[in, out, k, k]` weight of a transposed convolution is
///   `C`'s OIHW weight as it stands. (oneDNN's own deconvolution runs the same products 2–2.5 times slower
///   in its forward pass on these shapes.)
///
/// The weights stay OIHW in their `Parameter` for the optimizer and checkpoints; they are reordered into the
/// kernel's layout once per forward pass and their gradient back once per backward pass. The layer's input
/// arrives plain or channel-blocked (`Tensor.layout`); its output leaves in the layout the kernel wrote when
/// that is plain, or channel-blocked and `emitsBlockedLayout` is set, and is reordered to plain otherwise.
final class LibraryConvolution {
    typealias Library = DeepNeuralNetworkLibrary

    /// Which layer `C` serves.
    enum Role {
        case convolution
        case transposed
    }

    let role: Role
    let inputChannels: Int
    let outputChannels: Int
    let kernelSize: Int
    let stride: Int
    let padding: Int
    /// For `.transposed`: rows and columns added at the bottom and right of the output.
    let outputPadding: Int
    /// Whether the output may stay channel-blocked for the next layer (set by `Sequential`).
    var emitsBlockedLayout = false

    /// What a plan depends on besides the layer's constants.
    private struct Situation: Hashable {
        var inputShape: [Int]
        var inputLayout: TensorLayout
        var relu: Bool
        var emitsBlockedLayout: Bool
    }

    /// The primitives, layouts and reorders for one situation.
    private final class Plan {
        let forward: Library.Primitive
        let backwardData: Library.Primitive
        let backwardWeights: Library.Primitive
        let source: Library.Memory
        /// ∂loss/∂source as the backward-data pass writes it (for `.convolution`, maybe not `source`'s layout).
        let diffSource: Library.Memory
        let destination: Library.Memory
        /// The weights as the forward kernel reads them, and as the backward-data kernel does.
        let weights: Library.Memory
        let dataWeights: Library.Memory
        let diffWeights: Library.Memory
        let bias: Library.Memory?
        /// The layer's output shape, and the layout its output leaves in.
        let outputShape: [Int]
        let outputLayout: TensorLayout
        /// The layout `C` writes the layer's output side in (`nil`: one `LayoutReorder` does not know).
        let outputSideLayout: TensorLayout?
        let inputReorder: LayoutReorder?
        let inputGradientReorder: LayoutReorder?
        let outputReorder: LayoutReorder?
        let gradientReorder: LayoutReorder?
        let weightsReorder: LayoutReorder?
        let dataWeightsReorder: LayoutReorder?
        let diffWeightsReorder: LayoutReorder?
        /// Scalars of `C`'s side of the layer's input, of its input gradient, and of its output, padding included.
        let inputSideCount: Int
        let inputGradientSideCount: Int
        let outputSideCount: Int

        init(
            primitives: (forward: Library.PrimitiveDescriptor, backwardData: Library.PrimitiveDescriptor,
                backwardWeights: Library.PrimitiveDescriptor),
            role: Role, inputShape: [Int], inputLayout: TensorLayout, outputShape: [Int], weightShape: [Int],
            emitsBlockedLayout: Bool
        ) {
            forward = Library.Primitive(primitives.forward)
            backwardData = Library.Primitive(primitives.backwardData)
            backwardWeights = Library.Primitive(primitives.backwardWeights)
            let sourceDescriptor = primitives.forward.descriptor(of: .source)
            let destinationDescriptor = primitives.forward.descriptor(of: .destination)
            let weightsDescriptor = primitives.forward.descriptor(of: .weights)
            let dataWeightsDescriptor = primitives.backwardData.descriptor(of: .weights)
            let diffWeightsDescriptor = primitives.backwardWeights.descriptor(of: .diffWeights)
            source = Library.Memory(sourceDescriptor)
            let diffSourceDescriptor = primitives.backwardData.descriptor(of: .diffSource)
            diffSource = Library.Memory(diffSourceDescriptor)
            destination = Library.Memory(destinationDescriptor)
            weights = Library.Memory(weightsDescriptor)
            dataWeights = Library.Memory(dataWeightsDescriptor)
            diffWeights = Library.Memory(diffWeightsDescriptor)
            bias = role == .convolution ? Library.Memory(primitives.forward.descriptor(of: .bias)) : nil
            self.outputShape = outputShape
            let (inputSide, outputSide) =
                role == .convolution ? (sourceDescriptor, destinationDescriptor) : (destinationDescriptor, sourceDescriptor)
            inputSideCount = inputSide.byteCount / MemoryLayout<Float>.size
            outputSideCount = outputSide.byteCount / MemoryLayout<Float>.size
            let layerInput = Library.MemoryDescriptor(shape: inputShape, format: inputLayout.format)
            inputReorder = layerInput == inputSide ? nil : LayoutReorder(from: layerInput, to: inputSide)
            let inputGradientSide = role == .convolution ? diffSourceDescriptor : destinationDescriptor
            inputGradientSideCount = inputGradientSide.byteCount / MemoryLayout<Float>.size
            inputGradientReorder =
                layerInput == inputGradientSide ? nil : LayoutReorder(from: inputGradientSide, to: layerInput)
            outputSideLayout = TensorLayout(outputSide, shape: outputShape)
            if let layout = outputSideLayout, layout == .plain || emitsBlockedLayout {
                (outputLayout, outputReorder, gradientReorder) = (layout, nil, nil)
            } else {
                let plain = Library.MemoryDescriptor(shape: outputShape, format: .plain)
                outputLayout = .plain
                outputReorder = LayoutReorder(from: outputSide, to: plain)
                gradientReorder = LayoutReorder(from: plain, to: outputSide)
            }
            let plainWeights = Library.MemoryDescriptor(shape: weightShape, format: .plain)
            weightsReorder = plainWeights == weightsDescriptor ? nil : LayoutReorder(from: plainWeights, to: weightsDescriptor)
            dataWeightsReorder =
                plainWeights == dataWeightsDescriptor ? nil : LayoutReorder(from: plainWeights, to: dataWeightsDescriptor)
            diffWeightsReorder =
                plainWeights == diffWeightsDescriptor ? nil : LayoutReorder(from: diffWeightsDescriptor, to: plainWeights)
        }
    }

    private let stream = Library.Stream()
    /// The way in and out of the layer's own lowering, where it runs instead.
    private let adapter = PlainLayoutAdapter()
    private var plans: [Situation: Plan] = [:]
    /// Situations for which oneDNN has only a reference kernel for one of the passes (orders of magnitude
    /// slower): the layer runs its own lowering for them.
    private var unsupported: Set<Situation> = []
    /// Tests set this to see the layer fall back as it does where oneDNN has only a reference kernel.
    var treatsEveryKernelAsReference = false
    private var plan: Plan?
    private var input: Tensor?
    /// `C`'s side of the layer's input, when the layer's input is in another layout.
    private let inputBuffer = Tensor(shape: [0])
    /// `C`'s side of the layer's output: the output itself unless it is reordered into `output`.
    private let outputBuffer = Tensor(shape: [0])
    private let output = Tensor(shape: [0])
    /// `C`'s side of ∂loss/∂output, when it is reordered or masked.
    private let gradientBuffer = Tensor(shape: [0])
    /// `C`'s side of ∂loss/∂input, when the layer's input is in another layout.
    private let inputGradientBuffer = Tensor(shape: [0])
    private let inputGradient = Tensor(shape: [0])
    private let weightsBuffer = Tensor(shape: [0])
    private let diffWeightsBuffer = Tensor(shape: [0])

    init(
        role: Role, inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int, padding: Int,
        outputPadding: Int = 0
    ) {
        self.role = role
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
    }

    /// The layer's output shape for an input of `shape`.
    private func outputShape(for shape: [Int]) -> [Int] {
        let (height, width) = (shape[2], shape[3])
        switch role {
        case .convolution:
            return [
                shape[0], outputChannels, (height + 2 * padding - kernelSize) / stride + 1,
                (width + 2 * padding - kernelSize) / stride + 1,
            ]
        case .transposed:
            return [
                shape[0], outputChannels, (height - 1) * stride - 2 * padding + kernelSize + outputPadding,
                (width - 1) * stride - 2 * padding + kernelSize + outputPadding,
            ]
        }
    }

    private func plan(for situation: Situation) -> Plan? {
        if let plan = plans[situation] { return plan }
        if unsupported.contains(situation) { return nil }
        let inputShape = situation.inputShape
        let outputShape = outputShape(for: inputShape)
        precondition(outputShape[2] > 0 && outputShape[3] > 0, "a convolution maps \(inputShape) to nothing")
        // `C` reads its source on the layer's output side for a transposed convolution.
        let (sourceShape, destinationShape) = role == .convolution ? (inputShape, outputShape) : (outputShape, inputShape)
        let weightShape = [destinationShape[1], sourceShape[1], kernelSize, kernelSize]
        let after = (2...3).map { (destinationShape[$0] - 1) * stride + kernelSize - sourceShape[$0] - padding }
        let geometry = Library.ConvolutionGeometry(strides: [stride, stride], paddingBefore: [padding, padding], paddingAfter: after)
        func descriptors(source: Library.MemoryDescriptor.Format) -> (
            forward: Library.PrimitiveDescriptor, backwardData: Library.PrimitiveDescriptor,
            backwardWeights: Library.PrimitiveDescriptor
        ) {
            guard
                let made = Library.convolutionDescriptors(
                    source: Library.MemoryDescriptor(shape: sourceShape, format: source),
                    weights: Library.MemoryDescriptor(shape: weightShape, format: .any),
                    bias: role == .convolution ? Library.MemoryDescriptor(shape: [outputChannels], format: .plain) : nil,
                    destination: Library.MemoryDescriptor(shape: destinationShape, format: .any), geometry: geometry,
                    reluPostOperation: role == .convolution && situation.relu, anyDiffSource: role == .convolution)
            else { preconditionFailure("oneDNN has no convolution \(sourceShape) → \(destinationShape)") }
            return made
        }
        var primitives = descriptors(source: .any)
        // A transposed convolution adds its bias in the layout `C` gives its output side: plain or channel-blocked.
        if role == .transposed, TensorLayout(primitives.forward.descriptor(of: .source), shape: outputShape) == nil {
            primitives = descriptors(source: .plain)
        }
        let implementations = [primitives.forward, primitives.backwardData, primitives.backwardWeights].map(\.implementation)
        if treatsEveryKernelAsReference || implementations.contains(where: { $0.hasPrefix("ref") }) {
            unsupported.insert(situation)
            return nil
        }
        let plan = Plan(
            primitives: primitives, role: role, inputShape: inputShape, inputLayout: situation.inputLayout,
            outputShape: outputShape, weightShape: weightShape, emitsBlockedLayout: situation.emitsBlockedLayout)
        plans[situation] = plan
        return plan
    }

    /// The layer's forward pass: `[batch, inputChannels, height, width]` in any layout →
    /// `[batch, outputChannels, outputHeight, outputWidth]`, clamped at 0 when `relu`. Where oneDNN has only
    /// a reference kernel for one of the passes at this shape, the layer's own lowering (`otherwise`) runs
    /// instead, on a plain copy of the input.
    func forward(
        _ input: Tensor, weight: Parameter, bias: Parameter, relu: Bool, otherwise lowering: (Tensor) -> Tensor
    ) -> Tensor {
        guard let output = libraryForward(input, weight: weight, bias: bias, relu: relu) else {
            return lowering(adapter.plain(input))
        }
        return output
    }

    /// The layer's backward pass after `forward`: on oneDNN, or on the layer's own lowering (`otherwise`,
    /// given ∂loss/∂output and whether the input gradient is needed) if the forward pass ran there, with the
    /// input gradient handed back in the input's layout.
    func backward(
        _ outputGradient: Tensor, weight: Parameter, bias: Parameter, relu: Bool, needsInputGradient: Bool,
        otherwise lowering: (Tensor, Bool) -> Tensor?
    ) -> Tensor? {
        guard plan != nil else { return lowering(outputGradient, needsInputGradient).map(adapter.restore) }
        return libraryBackward(
            outputGradient, weight: weight, bias: bias, relu: relu, needsInputGradient: needsInputGradient)
    }

    /// The forward pass on oneDNN; `nil` where it has only a reference kernel for one of the passes.
    private func libraryForward(_ input: Tensor, weight: Parameter, bias: Parameter, relu: Bool) -> Tensor? {
        let situation = Situation(
            inputShape: input.shape, inputLayout: input.layout, relu: relu, emitsBlockedLayout: emitsBlockedLayout)
        guard let plan = plan(for: situation) else {
            self.plan = nil
            return nil
        }
        self.plan = plan
        self.input = input
        let layerInput = prepare(input, with: plan)
        let weights = prepareWeights(weight, forDataPass: role == .transposed, with: plan)
        outputBuffer.reshape(to: plan.outputSideLayout == nil ? [plan.outputSideCount] : plan.outputShape)
        switch role {
        case .convolution:
            LentValues.withPointers([layerInput, weights, .value(bias), .tensor(outputBuffer)]) { pointers in
                plan.forward.execute(
                    on: stream,
                    [
                        (.source, plan.source, pointers[0]), (.weights, plan.weights, pointers[1]),
                        (.bias, plan.bias!, pointers[2]), (.destination, plan.destination, pointers[3]),
                    ])
            }
        case .transposed:
            LentValues.withPointers([layerInput, weights, .tensor(outputBuffer)]) { pointers in
                plan.backwardData.execute(
                    on: stream,
                    [
                        (.diffDestination, plan.destination, pointers[0]), (.weights, plan.dataWeights, pointers[1]),
                        (.diffSource, plan.source, pointers[2]),
                    ])
            }
            guard let layout = plan.outputSideLayout else { preconditionFailure("a transposed convolution's output layout") }
            let (batch, plane) = (plan.outputShape[0], plan.outputShape[2] * plan.outputShape[3])
            bias.value.withUnsafeBufferPointer { bias in
                outputBuffer.scalars.withUnsafeMutableBufferPointer { output in
                    VectorKernels.addChannelBias(bias, to: output, batch: batch, plane: plane, block: layout.block, relu: relu)
                }
            }
        }
        guard let reorder = plan.outputReorder else {
            outputBuffer.layout = plan.outputLayout
            return outputBuffer
        }
        output.reshape(to: plan.outputShape)
        output.layout = .plain
        LentValues.withPointers([.tensor(outputBuffer), .tensor(output)]) { reorder.run(from: $0[0], to: $0[1], on: stream) }
        return output
    }

    /// The backward pass on oneDNN given ∂loss/∂output (in the output's layout): sets the parameters'
    /// gradients and returns ∂loss/∂input in the input's layout when asked.
    private func libraryBackward(
        _ outputGradient: Tensor, weight: Parameter, bias: Parameter, relu: Bool, needsInputGradient: Bool
    ) -> Tensor? {
        guard let plan, let input else { preconditionFailure("a convolution's backward pass before its forward pass") }
        precondition(outputGradient.shape == plan.outputShape, "convolution backward got \(outputGradient.shape)")
        // ∂loss/∂(C's side of the output), masked by the ReLU.
        var gradient = outputGradient
        if let reorder = plan.gradientReorder {
            gradientBuffer.reshape(to: [plan.outputSideCount])
            LentValues.withPointers([.tensor(outputGradient), .tensor(gradientBuffer)]) {
                reorder.run(from: $0[0], to: $0[1], on: stream)
            }
            gradient = gradientBuffer
        }
        // The ReLU's mask (and a transposed convolution's bias gradient) in one pass, into `gradientBuffer`.
        let (batch, plane) = (plan.outputShape[0], plan.outputShape[2] * plan.outputShape[3])
        let block = plan.outputSideLayout?.block ?? 1
        let role = role
        func mask(_ source: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<Float>) {
            outputBuffer.scalars.withUnsafeBufferPointer { output in
                switch role {
                case .convolution:
                    if relu { VectorKernels.reluBackward(output: output, gradient: source, into: target) }
                case .transposed:
                    bias.gradient.withUnsafeMutableBufferPointer { sums in
                        VectorKernels.channelSums(
                            of: source, batch: batch, plane: plane, block: block, maskedBy: relu ? output : nil,
                            masked: relu ? target : nil, into: sums)
                    }
                }
            }
        }
        if gradient === gradientBuffer {
            gradientBuffer.scalars.withUnsafeMutableBufferPointer { mask(UnsafeBufferPointer($0), into: $0) }
        } else {
            if relu { gradientBuffer.reshape(to: gradient.shape) }
            gradient.scalars.withUnsafeBufferPointer { source in
                gradientBuffer.scalars.withUnsafeMutableBufferPointer { mask(source, into: $0) }
            }
            if relu { gradient = gradientBuffer }
        }
        let layerInput: LentValues = plan.inputReorder == nil ? .tensor(input) : .tensor(inputBuffer)
        let diffWeights: LentValues
        if plan.diffWeightsReorder == nil {
            diffWeights = .gradient(weight)
        } else {
            diffWeightsBuffer.reshape(to: [plan.diffWeights.descriptor.byteCount / MemoryLayout<Float>.size])
            diffWeights = .tensor(diffWeightsBuffer)
        }
        switch role {
        case .convolution:
            LentValues.withPointers([layerInput, .tensor(gradient), diffWeights, .gradient(bias)]) { pointers in
                plan.backwardWeights.execute(
                    on: stream,
                    [
                        (.source, plan.source, pointers[0]), (.diffDestination, plan.destination, pointers[1]),
                        (.diffWeights, plan.diffWeights, pointers[2]), (.diffBias, plan.bias!, pointers[3]),
                    ])
            }
        case .transposed:
            LentValues.withPointers([.tensor(gradient), layerInput, diffWeights]) { pointers in
                plan.backwardWeights.execute(
                    on: stream,
                    [
                        (.source, plan.source, pointers[0]), (.diffDestination, plan.destination, pointers[1]),
                        (.diffWeights, plan.diffWeights, pointers[2]),
                    ])
            }
        }
        if let reorder = plan.diffWeightsReorder {
            LentValues.withPointers([.tensor(diffWeightsBuffer), .gradient(weight)]) { reorder.run(from: $0[0], to: $0[1], on: stream) }
        }
        guard needsInputGradient else { return nil }
        let weights = prepareWeights(weight, forDataPass: role == .convolution, with: plan)
        inputGradient.reshape(to: input.shape)
        inputGradient.layout = input.layout
        let target: Tensor
        if plan.inputGradientReorder == nil {
            target = inputGradient
        } else {
            inputGradientBuffer.reshape(to: [plan.inputGradientSideCount])
            target = inputGradientBuffer
        }
        switch role {
        case .convolution:
            LentValues.withPointers([.tensor(gradient), weights, .tensor(target)]) { pointers in
                plan.backwardData.execute(
                    on: stream,
                    [
                        (.diffDestination, plan.destination, pointers[0]), (.weights, plan.dataWeights, pointers[1]),
                        (.diffSource, plan.diffSource, pointers[2]),
                    ])
            }
        case .transposed:
            LentValues.withPointers([.tensor(gradient), weights, .tensor(target)]) { pointers in
                plan.forward.execute(
                    on: stream,
                    [
                        (.source, plan.source, pointers[0]), (.weights, plan.weights, pointers[1]),
                        (.destination, plan.destination, pointers[2]),
                    ])
            }
        }
        if let reorder = plan.inputGradientReorder {
            LentValues.withPointers([.tensor(inputGradientBuffer), .tensor(inputGradient)]) {
                reorder.run(from: $0[0], to: $0[1], on: stream)
            }
        }
        return inputGradient
    }

    /// The layer's input in `C`'s layout: the input itself, or its reordering into `inputBuffer`.
    private func prepare(_ input: Tensor, with plan: Plan) -> LentValues {
        guard let reorder = plan.inputReorder else { return .tensor(input) }
        inputBuffer.reshape(to: [plan.inputSideCount])
        LentValues.withPointers([.tensor(input), .tensor(inputBuffer)]) { reorder.run(from: $0[0], to: $0[1], on: stream) }
        return .tensor(inputBuffer)
    }

    /// The weights in the layout of the forward kernel or of the backward-data one: the parameter's values,
    /// or their reordering into `weightsBuffer`.
    private func prepareWeights(_ weight: Parameter, forDataPass: Bool, with plan: Plan) -> LentValues {
        let (reorder, memory) = forDataPass ? (plan.dataWeightsReorder, plan.dataWeights) : (plan.weightsReorder, plan.weights)
        guard let reorder else { return .value(weight) }
        weightsBuffer.reshape(to: [memory.descriptor.byteCount / MemoryLayout<Float>.size])
        LentValues.withPointers([.value(weight), .tensor(weightsBuffer)]) { reorder.run(from: $0[0], to: $0[1], on: stream) }
        return .tensor(weightsBuffer)
    }
}
