// Whether a dataset is on this machine, without reading its files.

import Foundation

extension DatasetLoader {
    /// The directory `load(name, …)` would read the dataset `name` from: the first complete
    /// `ROOT/NAME/` on `searchPath` for a catalogued dataset, `ROOT/mnist/` for `colored-mnist`, the
    /// folder itself for `folder:PATH`. Only looks at the file names; nothing is opened.
    ///
    /// Throws `.unknownDataset`, `.datasetNotFound` (naming every directory searched and the files each
    /// lacked) or `.invalidImageFolder(…, .missing)`.
    public static func locate(_ name: String, searchPath: DataSearchPath) throws(DatasetError) -> URL {
        switch try DatasetReference(parsing: name) {
        case .catalog(let descriptor):
            return try searchPath.locate(descriptor).url
        case .coloredMNIST:
            return try searchPath.locate(DatasetCatalog.mnist).url
        case .folder(let path):
            let directory = URL(fileURLWithPath: NSString(string: path).expandingTildeInPath, isDirectory: true)
                .standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw .invalidImageFolder(path: directory.path, problem: .missing) }
            return directory
        }
    }
}
