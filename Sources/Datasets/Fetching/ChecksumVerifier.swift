// md5 checksums of decompressed content, so that differently gzip'd copies of one file agree.

import Crypto
import Foundation

/// Computes and checks md5 checksums of files' decompressed content.
public enum ChecksumVerifier {
    /// The lowercase hex md5 of the file's content after decompression (plain files as they are),
    /// streamed through `gzread` in chunks: constant memory.
    public static func md5OfDecompressedContent(at url: URL) throws(DatasetError) -> String {
        let file = try GzipFile(readingAt: url.path)
        var hasher = Insecure.MD5()
        try file.readToEnd { chunk in hasher.update(bufferPointer: chunk) }
        return hasher.finalize().map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// Checks one file against the catalogued md5 of its decompressed content; throws `.checksumMismatch`.
    public static func verify(_ url: URL, against file: DatasetFile) throws(DatasetError) {
        let actual = try md5OfDecompressedContent(at: url)
        guard actual == file.decompressedMD5 else {
            throw .checksumMismatch(file: url.path, expected: file.decompressedMD5, actual: actual)
        }
    }

    /// The status of each catalogued file in `directory`, in catalog order.
    public static func verify(_ directory: DatasetDirectory) -> [FileVerification] {
        directory.descriptor.files.map { file in
            guard let url = directory.url(for: file.role) else {
                return FileVerification(file: file, url: nil, status: .missing)
            }
            do throws(DatasetError) {
                let actual = try md5OfDecompressedContent(at: url)
                return FileVerification(
                    file: file, url: url, status: actual == file.decompressedMD5 ? .valid : .mismatch(actual: actual))
            } catch {
                return FileVerification(file: file, url: url, status: .unreadable(error))
            }
        }
    }
}
