// Every call into oneDNN (CDNNL) goes through this file.

import CDNNL

/// oneDNN (the oneAPI Deep Neural Network Library, the CPU backend of PyTorch's convolutions): the
/// convolution, pooling and reorder primitives the conv families train with, through its C API.
///
/// A primitive is made for one shape and one layout per argument. Given "any" for a layout, oneDNN picks the
/// one its fastest kernel for this CPU wants: a channel-blocked layout (`nChw16c` with AVX-512, `nChw8c`
/// with AVX2) for activations and a blocked one for weights. Its JIT kernels reach the speed of a large
/// sgemm on the middle layers only in those layouts, so the layers keep them from one convolution to the
/// next (see `TensorLayout`) and reorder only at the ends.
///
/// The handles are owned by final classes; pointers to the values are bound to a `Memory` only inside the
/// closures that lend them, for the one `execute` call that reads or writes them.
enum DeepNeuralNetworkLibrary {
    /// The CPU engine of the process (oneDNN's engines are thread-safe).
    static let engine = Engine()

    /// The instruction set oneDNN's JIT kernels use on this CPU, e.g. `avx512_core` or `avx2`.
    static var instructionSet: String {
        switch dnnl_get_effective_cpu_isa() {
        case dnnl_cpu_isa_sse41: "sse41"
        case dnnl_cpu_isa_avx: "avx"
        case dnnl_cpu_isa_avx2: "avx2"
        case dnnl_cpu_isa_avx2_vnni: "avx2_vnni"
        case dnnl_cpu_isa_avx512_core: "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: "avx512_core_amx"
        case let other: "isa 0x\(String(other.rawValue, radix: 16))"
        }
    }

    /// The library's version, e.g. `2.6.3`.
    static var version: String {
        guard let version = dnnl_version()?.pointee else { return "unknown" }
        return "\(version.major).\(version.minor).\(version.patch)"
    }

    /// Stops with the library's status: a failed call here is a bug (a shape or layout the layers should not
    /// have asked for), not an input error.
    /// Makes the calling thread's next oneDNN work run on as many OpenMP threads as BLAS has: one by
    /// default, which keeps every result bit for bit the same from one run to the next. Called before every
    /// call that may run in parallel (making primitives and their descriptors, executing them); OpenMP
    /// keeps the setting per thread.
    fileprivate static func useBLASThreadCount() {
        omp_set_num_threads(Int32(BLASRuntime.threadCount))
    }

    fileprivate static func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) {
        guard status != dnnl_success else { return }
        preconditionFailure("oneDNN's \(call()) failed with status \(status.rawValue)")
    }

    /// The CPU engine.
    final class Engine: @unchecked Sendable {
        fileprivate let handle: dnnl_engine_t

        fileprivate init() {
            var handle: dnnl_engine_t?
            useBLASThreadCount()
            check(dnnl_engine_create(&handle, dnnl_cpu, 0), "engine_create")
            self.handle = handle!
        }

        deinit { dnnl_engine_destroy(handle) }
    }

    /// An in-order execution queue on the engine. One per object that executes primitives: a stream is used
    /// by one thread at a time.
    final class Stream {
        fileprivate let handle: dnnl_stream_t

        init() {
            var handle: dnnl_stream_t?
            check(dnnl_stream_create(&handle, engine.handle, dnnl_stream_default_flags.rawValue), "stream_create")
            self.handle = handle!
        }

        deinit { dnnl_stream_destroy(handle) }
    }

    /// The shape, element type (always `Float`) and layout of a primitive's argument.
    struct MemoryDescriptor: Equatable {
        /// How the values are laid out.
        enum Format: Equatable {
            /// Row-major in the order of the dimensions: NCHW for images, OIHW for weights.
            case plain
            /// `[batch, channels/block, height, width, block]` (4 dimensions): `nChw8c` or `nChw16c`.
            case channelBlocked(Int)
            /// The primitive's choice.
            case any
        }

        fileprivate var raw = dnnl_memory_desc_t()

        init(shape: [Int], format: Format) {
            precondition((1...6).contains(shape.count), "oneDNN memory of \(shape.count) dimensions")
            let tag: dnnl_format_tag_t
            switch format {
            case .any:
                tag = dnnl_format_tag_any
            case .plain:
                tag = [dnnl_a, dnnl_ab, dnnl_abc, dnnl_abcd, dnnl_abcde, dnnl_abcdef][shape.count - 1]
            case .channelBlocked(let block):
                precondition(shape.count == 4 && (block == 8 || block == 16), "no \(block)-channel blocks of \(shape)")
                tag = block == 16 ? dnnl_nChw16c : dnnl_nChw8c
            }
            let dimensions = shape.map(Int64.init)
            check(dnnl_memory_desc_init_by_tag(&raw, Int32(shape.count), dimensions, dnnl_f32, tag), "memory_desc_init_by_tag")
        }

        fileprivate init(raw: dnnl_memory_desc_t) {
            self.raw = raw
        }

        /// The bytes the values take, padding included.
        var byteCount: Int {
            withUnsafePointer(to: raw) { Int(dnnl_memory_desc_get_size($0)) }
        }

        /// The dimensions.
        var shape: [Int] {
            withUnsafeBytes(of: raw.dims) { Array($0.bindMemory(to: Int64.self).prefix(Int(raw.ndims))).map(Int.init) }
        }

        /// The format among `.plain` and `.channelBlocked` that this descriptor is, if it is one of them.
        var knownFormat: Format? {
            let shape = shape
            if self == MemoryDescriptor(shape: shape, format: .plain) { return .plain }
            guard shape.count == 4 else { return nil }
            for block in [16, 8] where self == MemoryDescriptor(shape: shape, format: .channelBlocked(block)) {
                return .channelBlocked(block)
            }
            return nil
        }

        static func == (left: MemoryDescriptor, right: MemoryDescriptor) -> Bool {
            withUnsafePointer(to: left.raw) { left in
                withUnsafePointer(to: right.raw) { right in dnnl_memory_desc_equal(left, right) != 0 }
            }
        }
    }

    /// A memory object: a descriptor and, while `execute` runs, the values it was lent.
    final class Memory {
        fileprivate let handle: dnnl_memory_t
        let descriptor: MemoryDescriptor

        /// Memory whose values are lent per execution (`Primitive.execute`'s arguments).
        init(_ descriptor: MemoryDescriptor) {
            self.descriptor = descriptor
            var handle: dnnl_memory_t?
            withUnsafePointer(to: descriptor.raw) {
                check(dnnl_memory_create(&handle, $0, engine.handle, nil), "memory_create")
            }
            self.handle = handle!
        }

        /// Memory that owns its values, for what only the library reads (a pooling's workspace).
        init(allocating descriptor: MemoryDescriptor) {
            self.descriptor = descriptor
            var handle: dnnl_memory_t?
            withUnsafePointer(to: descriptor.raw) {
                check(
                    dnnl_memory_create(&handle, $0, engine.handle, UnsafeMutableRawPointer(bitPattern: UInt.max)),
                    "memory_create")
            }
            self.handle = handle!
        }

        deinit { dnnl_memory_destroy(handle) }

        fileprivate func bind(_ pointer: UnsafeMutableRawPointer?) {
            check(dnnl_memory_set_data_handle(handle, pointer), "memory_set_data_handle")
        }
    }

    /// The role of an argument in an execution.
    enum Argument {
        case source, weights, bias, destination, workspace
        case diffSource, diffWeights, diffBias, diffDestination

        fileprivate var raw: Int32 {
            switch self {
            case .source: DNNL_ARG_SRC
            case .weights: DNNL_ARG_WEIGHTS
            case .bias: DNNL_ARG_BIAS
            case .destination: DNNL_ARG_DST
            case .workspace: DNNL_ARG_WORKSPACE
            case .diffSource: DNNL_ARG_DIFF_SRC
            case .diffWeights: DNNL_ARG_DIFF_WEIGHTS
            case .diffBias: DNNL_ARG_DIFF_BIAS
            case .diffDestination: DNNL_ARG_DIFF_DST
            }
        }
    }

    /// What a primitive is for: oneDNN's choice of implementation and the layouts it takes.
    final class PrimitiveDescriptor {
        fileprivate let handle: dnnl_primitive_desc_t

        /// `nil` when oneDNN has no implementation for the operation as described.
        fileprivate init?(operation: UnsafeRawPointer, reluPostOperation: Bool = false, hint: PrimitiveDescriptor? = nil) {
            var attributes: dnnl_primitive_attr_t?
            if reluPostOperation {
                var postOperations: dnnl_post_ops_t?
                check(dnnl_post_ops_create(&postOperations), "post_ops_create")
                check(dnnl_post_ops_append_eltwise(postOperations, 1, dnnl_eltwise_relu, 0, 0), "post_ops_append_eltwise")
                check(dnnl_primitive_attr_create(&attributes), "primitive_attr_create")
                check(dnnl_primitive_attr_set_post_ops(attributes, postOperations), "primitive_attr_set_post_ops")
                dnnl_post_ops_destroy(postOperations)
            }
            defer { if let attributes { dnnl_primitive_attr_destroy(attributes) } }
            var handle: dnnl_primitive_desc_t?
            useBLASThreadCount()
            guard dnnl_primitive_desc_create(&handle, operation, attributes, engine.handle, hint?.handle) == dnnl_success,
                let handle
            else { return nil }
            self.handle = handle
        }

        fileprivate init?(reorderFrom source: MemoryDescriptor, to destination: MemoryDescriptor) {
            var handle: dnnl_primitive_desc_t?
            useBLASThreadCount()
            let status = withUnsafePointer(to: source.raw) { source in
                withUnsafePointer(to: destination.raw) { destination in
                    dnnl_reorder_primitive_desc_create(&handle, source, engine.handle, destination, engine.handle, nil)
                }
            }
            guard status == dnnl_success, let handle else { return nil }
            self.handle = handle
        }

        deinit { dnnl_primitive_desc_destroy(handle) }

        /// The layout the primitive takes or gives for `argument`.
        func descriptor(of argument: Argument) -> MemoryDescriptor {
            let query: dnnl_query_t
            switch argument {
            case .source: query = dnnl_query_src_md
            case .weights: query = dnnl_query_weights_md
            case .bias: return MemoryDescriptor(raw: dnnl_primitive_desc_query_md(handle, dnnl_query_weights_md, 1).pointee)
            case .destination: query = dnnl_query_dst_md
            case .workspace: query = dnnl_query_workspace_md
            case .diffSource: query = dnnl_query_diff_src_md
            case .diffWeights: query = dnnl_query_diff_weights_md
            case .diffBias: return MemoryDescriptor(raw: dnnl_primitive_desc_query_md(handle, dnnl_query_diff_weights_md, 1).pointee)
            case .diffDestination: query = dnnl_query_diff_dst_md
            }
            return MemoryDescriptor(raw: dnnl_primitive_desc_query_md(handle, query, 0).pointee)
        }

        /// The implementation oneDNN chose, e.g. `jit:avx512_core` or `x64:gemm:jit`.
        var implementation: String {
            var text: UnsafePointer<CChar>?
            guard dnnl_primitive_desc_query(handle, dnnl_query_impl_info_str, 0, &text) == dnnl_success, let text else {
                return "unknown"
            }
            return String(cString: text)
        }
    }

    /// The geometry of a 2-D convolution: strides and the padding before and after each spatial dimension.
    struct ConvolutionGeometry {
        var strides: [Int]
        var paddingBefore: [Int]
        var paddingAfter: [Int]
    }

    /// A convolution's three primitives' descriptors. `source`, `destination` and `weights` may be `.any`;
    /// the backward ones are made for the activation layouts the forward one chose, each with the weights
    /// layout of its own choice (the backward-data kernels read the weights blocked the other way round).
    /// With `anyDiffSource`, the backward-data pass also writes ∂loss/∂source in a layout of its choice: for
    /// a plain source of few channels (which the forward kernel reads as it is), oneDNN has only a reference
    /// backward-data kernel for a plain ∂loss/∂source, and a JIT one for a blocked one.
    static func convolutionDescriptors(
        source: MemoryDescriptor, weights: MemoryDescriptor, bias: MemoryDescriptor?, destination: MemoryDescriptor,
        geometry: ConvolutionGeometry, reluPostOperation: Bool, anyDiffSource: Bool
    ) -> (forward: PrimitiveDescriptor, backwardData: PrimitiveDescriptor, backwardWeights: PrimitiveDescriptor)? {
        let (strides, before, after) = (
            geometry.strides.map(Int64.init), geometry.paddingBefore.map(Int64.init), geometry.paddingAfter.map(Int64.init)
        )
        var operation = dnnl_convolution_desc_t()
        var source = source, weights = weights, destination = destination
        var biasRaw = bias?.raw
        let forwardStatus = withOptionalPointer(to: &biasRaw) { bias in
            dnnl_convolution_forward_desc_init(
                &operation, dnnl_forward_training, dnnl_convolution_direct, &source.raw, &weights.raw, bias,
                &destination.raw, strides, before, after)
        }
        guard forwardStatus == dnnl_success,
            let forward = PrimitiveDescriptor(operation: &operation, reluPostOperation: reluPostOperation)
        else { return nil }
        source = forward.descriptor(of: .source)
        weights = forward.descriptor(of: .weights)
        destination = forward.descriptor(of: .destination)
        var anyWeights = MemoryDescriptor(shape: weights.shape, format: .any)
        var diffSource = anyDiffSource ? MemoryDescriptor(shape: source.shape, format: .any) : source
        var dataOperation = dnnl_convolution_desc_t()
        check(
            dnnl_convolution_backward_data_desc_init(
                &dataOperation, dnnl_convolution_direct, &diffSource.raw, &anyWeights.raw, &destination.raw, strides,
                before, after),
            "convolution_backward_data_desc_init")
        var weightsOperation = dnnl_convolution_desc_t()
        let weightsStatus = withOptionalPointer(to: &biasRaw) { bias in
            dnnl_convolution_backward_weights_desc_init(
                &weightsOperation, dnnl_convolution_direct, &source.raw, &anyWeights.raw, bias, &destination.raw,
                strides, before, after)
        }
        check(weightsStatus, "convolution_backward_weights_desc_init")
        guard let backwardData = PrimitiveDescriptor(operation: &dataOperation, hint: forward),
            let backwardWeights = PrimitiveDescriptor(operation: &weightsOperation, hint: forward)
        else { return nil }
        return (forward, backwardData, backwardWeights)
    }

    /// Max pooling's forward (with the workspace its backward reads) and backward descriptors, for
    /// `source` (a known layout) and non-overlapping `size × size` windows; a remainder row or column is dropped.
    static func maxPoolingDescriptors(source: MemoryDescriptor, size: Int)
        -> (forward: PrimitiveDescriptor, backward: PrimitiveDescriptor)?
    {
        let shape = source.shape
        guard shape.count == 4, let format = source.knownFormat else { return nil }
        var source = source
        var destination = MemoryDescriptor(shape: [shape[0], shape[1], shape[2] / size, shape[3] / size], format: format)
        let (strides, kernel, padding): ([Int64], [Int64], [Int64]) = ([Int64(size), Int64(size)], [Int64(size), Int64(size)], [0, 0])
        var operation = dnnl_pooling_desc_t()
        guard
            dnnl_pooling_forward_desc_init(
                &operation, dnnl_forward_training, dnnl_pooling_max, &source.raw, &destination.raw, strides, kernel,
                padding, padding) == dnnl_success,
            let forward = PrimitiveDescriptor(operation: &operation)
        else { return nil }
        var backwardOperation = dnnl_pooling_desc_t()
        guard
            dnnl_pooling_backward_desc_init(
                &backwardOperation, dnnl_pooling_max, &source.raw, &destination.raw, strides, kernel, padding, padding)
                == dnnl_success,
            let backward = PrimitiveDescriptor(operation: &backwardOperation, hint: forward)
        else { return nil }
        return (forward, backward)
    }

    /// The descriptor of a reorder from one layout to another of the same shape.
    static func reorderDescriptor(from source: MemoryDescriptor, to destination: MemoryDescriptor) -> PrimitiveDescriptor? {
        PrimitiveDescriptor(reorderFrom: source, to: destination)
    }

    /// A primitive ready to execute.
    final class Primitive {
        private let handle: dnnl_primitive_t
        let descriptor: PrimitiveDescriptor

        init(_ descriptor: PrimitiveDescriptor) {
            var handle: dnnl_primitive_t?
            useBLASThreadCount()
            check(dnnl_primitive_create(&handle, descriptor.handle), "primitive_create")
            self.handle = handle!
            self.descriptor = descriptor
        }

        deinit { dnnl_primitive_destroy(handle) }

        /// Runs the primitive on `stream` with each argument's memory lent the values at its pointer, and
        /// waits for it. The calling thread runs it with as many OpenMP threads as BLAS has (one by default,
        /// which keeps every result bit for bit the same from one run to the next).
        func execute(on stream: Stream, _ arguments: [(Argument, Memory, UnsafeMutableRawPointer?)]) {
            useBLASThreadCount()
            var raw: [dnnl_exec_arg_t] = []
            raw.reserveCapacity(arguments.count)
            for (argument, memory, pointer) in arguments {
                if let pointer { memory.bind(pointer) }
                raw.append(dnnl_exec_arg_t(arg: argument.raw, memory: memory.handle))
            }
            check(dnnl_primitive_execute(handle, stream.handle, Int32(raw.count), raw), "primitive_execute")
            check(dnnl_stream_wait(stream.handle), "stream_wait")
            for (_, memory, pointer) in arguments where pointer != nil { memory.bind(nil) }
        }
    }

    /// Calls `body` with a pointer to `value`'s payload, or `nil` when there is none.
    private static func withOptionalPointer<Value, Result>(
        to value: inout Value?, _ body: (UnsafePointer<Value>?) -> Result
    ) -> Result {
        guard var unwrapped = value else { return body(nil) }
        defer { value = unwrapped }
        return withUnsafePointer(to: &unwrapped) { body($0) }
    }
}
