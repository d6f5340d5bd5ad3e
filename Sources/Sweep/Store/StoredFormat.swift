/// How a blob in the store is encoded (the `format` column of `weights`, `epoch_preview` and `checkpoint`): named here
/// only, so that no other module reads or writes format strings.
enum StoredFormat: String {
    /// A safetensors file: a trial's weights, or a paused trial's training checkpoint.
    case safeTensors = "safetensors"
    /// `ReconstructionSample` as JSON: the validation images rebuilt after an epoch.
    case reconstructionJSON = "reconstruction-json"
}
