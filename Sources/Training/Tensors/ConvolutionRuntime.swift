/// What runs the convolutions of the conv families from 8 output channels on: oneDNN, with the instruction
/// set its JIT kernels chose for this CPU (`ONEDNN_MAX_CPU_ISA` caps it, e.g. `AVX2`).
public enum ConvolutionRuntime {
    /// oneDNN's version, e.g. `2.6.3`.
    public static var libraryVersion: String { DeepNeuralNetworkLibrary.version }
    /// The instruction set of oneDNN's kernels here, e.g. `avx512_core_bf16` or `avx2`.
    public static var instructionSet: String { DeepNeuralNetworkLibrary.instructionSet }
    /// Both, as printed: `oneDNN 2.6.3, avx512_core_bf16`.
    public static var description: String { "oneDNN \(libraryVersion), \(instructionSet)" }
}
