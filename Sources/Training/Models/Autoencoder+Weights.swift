extension Autoencoder {
    /// The parameters and buffers (batch norm's running statistics) as named tensors, for saving.
    public func weights(metadata: [String: String] = [:]) -> SafeTensors {
        var tensors: [String: SafeTensors.Entry] = [:]
        for parameter in parameters + buffers {
            tensors[parameter.name] = SafeTensors.Entry(shape: parameter.shape, values: parameter.value)
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// Replaces every parameter and buffer with the tensor of the same name and shape from `weights`.
    public func load(_ weights: SafeTensors, source: String) throws(PersistenceError) {
        for parameter in parameters + buffers {
            guard let entry = weights.tensors[parameter.name] else {
                throw .mismatch(source: source, reason: "no tensor named '\(parameter.name)'")
            }
            guard entry.shape == parameter.shape else {
                throw .mismatch(
                    source: source, reason: "'\(parameter.name)' has shape \(entry.shape), the model needs \(parameter.shape)")
            }
            parameter.value = entry.values
        }
    }
}
