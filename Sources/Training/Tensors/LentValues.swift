/// Values lent to oneDNN for one execution: a tensor's, or a parameter's values or gradient.
enum LentValues {
    case tensor(Tensor)
    case value(Parameter)
    case gradient(Parameter)

    /// Calls `body` with a pointer to the first value of each of `values`, in order. No two of `values` may
    /// be the same array, and none may be empty.
    static func withPointers<Result>(
        _ values: [LentValues], _ body: ([UnsafeMutableRawPointer]) -> Result
    ) -> Result {
        func lend(_ index: Int, _ pointers: [UnsafeMutableRawPointer]) -> Result {
            guard index < values.count else { return body(pointers) }
            func next(_ bytes: UnsafeMutableRawBufferPointer) -> Result {
                guard let address = bytes.baseAddress else { preconditionFailure("no values to lend") }
                return lend(index + 1, pointers + [address])
            }
            switch values[index] {
            case .tensor(let tensor): return tensor.scalars.withUnsafeMutableBytes(next)
            case .value(let parameter): return parameter.value.withUnsafeMutableBytes(next)
            case .gradient(let parameter): return parameter.gradient.withUnsafeMutableBytes(next)
            }
        }
        return lend(0, [])
    }
}
