/// A oneDNN reorder between two layouts of the same shape, e.g. NCHW and `nChw16c`, or OIHW weights and the
/// blocked layout a convolution kernel reads them in.
final class LayoutReorder {
    typealias Library = DeepNeuralNetworkLibrary
    let source: Library.MemoryDescriptor
    let destination: Library.MemoryDescriptor
    private let primitive: Library.Primitive
    private let sourceMemory: Library.Memory
    private let destinationMemory: Library.Memory

    init(from source: Library.MemoryDescriptor, to destination: Library.MemoryDescriptor) {
        guard let descriptor = Library.reorderDescriptor(from: source, to: destination) else {
            preconditionFailure("oneDNN cannot reorder \(source.shape) between these layouts")
        }
        self.source = source
        self.destination = destination
        primitive = Library.Primitive(descriptor)
        sourceMemory = Library.Memory(source)
        destinationMemory = Library.Memory(destination)
    }

    /// Writes the values at `from` (in `source`'s layout) to `to` (in `destination`'s).
    func run(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer, on stream: Library.Stream) {
        primitive.execute(on: stream, [(.source, sourceMemory, from), (.destination, destinationMemory, to)])
    }
}
