// The zlib bridge: every call into zlib goes through this file.

import CZlib
import Foundation

/// A gzip'd or plain file opened through zlib's `gzopen`, which reads uncompressed files unchanged.
///
/// Owns its `gzFile` handle and closes it in `deinit`; zlib's return codes become `DatasetError`s
/// naming the file. Pointers handed in live only for the duration of one call.
final class GzipFile {
    /// How the file is written.
    enum WriteMode {
        /// Plain bytes (`gzopen` mode `"wbT"`).
        case raw
        /// A gzip stream at zlib's default level (`gzopen` mode `"wb"`).
        case gzip
    }

    /// The path, for error messages.
    let path: String
    private var handle: gzFile?

    private init(path: String, mode: String) throws(DatasetError) {
        self.path = path
        errno = 0
        guard let handle = gzopen(path, mode) else {
            throw .cannotOpen(file: path, reason: errno == 0 ? "zlib could not allocate its state" : Self.systemError())
        }
        self.handle = handle
    }

    /// Opens `path` for reading with `gzopen(path, "rb")` and a `bufferSize`-byte input buffer (`gzbuffer`).
    convenience init(readingAt path: String, bufferSize: UInt32 = 1 << 17) throws(DatasetError) {
        try self.init(path: path, mode: "rb")
        _ = gzbuffer(handle, bufferSize)
    }

    /// Creates or truncates `path` for writing with `gzopen` (`"wb"` or `"wbT"`).
    convenience init(writingAt path: String, mode: WriteMode) throws(DatasetError) {
        try self.init(path: path, mode: mode == .gzip ? "wb" : "wbT")
    }

    deinit {
        if let handle { gzclose(handle) }
    }

    /// Whether the file is read as plain bytes rather than decompressed (`gzdirect`).
    var isPlain: Bool {
        gzdirect(openHandle()) != 0
    }

    /// Fills `buffer` with the next bytes of (decompressed) content via `gzread`; returns how many were
    /// read, fewer than `buffer.count` only at the end of the content.
    ///
    /// A gzip stream cut short, or one whose data or check value is wrong, throws `.corruptGzip`.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let handle = openHandle()
        var total = 0
        while total < buffer.count {
            let request = UInt32(min(buffer.count - total, 1 << 30))
            let got = gzread(handle, base + total, request)
            if got < 0 {
                throw currentError()
            }
            if got == 0 {
                try checkCleanEnd()
                break
            }
            total += Int(got)
        }
        return total
    }

    /// Reads the rest of the content in `chunkSize`-byte pieces, calling `body` with each; constant memory.
    /// Returns the number of bytes read.
    @discardableResult
    func readToEnd(chunkSize: Int = 1 << 16, _ body: (UnsafeRawBufferPointer) -> Void) throws(DatasetError) -> Int {
        try withUnsafeTemporaryAllocation(byteCount: chunkSize, alignment: 16) { (chunk) throws(DatasetError) -> Int in
            var total = 0
            while true {
                let got = try read(into: chunk)
                if got == 0 { return total }
                body(UnsafeRawBufferPointer(rebasing: chunk[..<got]))
                total += got
            }
        }
    }

    /// Writes all of `bytes` with `gzwrite`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(DatasetError) {
        guard let base = bytes.baseAddress else { return }
        let handle = openHandle()
        var written = 0
        while written < bytes.count {
            let request = UInt32(min(bytes.count - written, 1 << 30))
            let result = gzwrite(handle, base + written, request)
            if result <= 0 {
                throw .writeFailed(file: path, reason: errorMessage().message)
            }
            written += Int(result)
        }
    }

    /// Flushes and closes the file with `gzclose`, reporting a failed final write.
    func close() throws(DatasetError) {
        guard let handle else { return }
        self.handle = nil
        errno = 0
        let result = gzclose(handle)
        if result != Z_OK {
            let reason = result == Z_ERRNO ? Self.systemError() : "zlib error \(result)"
            throw .writeFailed(file: path, reason: reason)
        }
    }

    private func openHandle() -> gzFile {
        guard let handle else { preconditionFailure("\(path) used after close()") }
        return handle
    }

    /// After `gzread` returned 0: end of content, or a gzip stream that ended early (`Z_BUF_ERROR`).
    private func checkCleanEnd() throws(DatasetError) {
        let (code, message) = errorMessage()
        switch code {
        case Z_OK:
            return
        case Z_BUF_ERROR:
            throw .corruptGzip(file: path, reason: "stream cut short (\(message))")
        default:
            throw currentError()
        }
    }

    private func currentError() -> DatasetError {
        let (code, message) = errorMessage()
        switch code {
        case Z_DATA_ERROR:
            return .corruptGzip(file: path, reason: message)
        case Z_BUF_ERROR:
            return .corruptGzip(file: path, reason: "stream cut short (\(message))")
        case Z_ERRNO:
            return .readFailed(file: path, reason: Self.systemError())
        default:
            return .readFailed(file: path, reason: message.isEmpty ? "zlib error \(code)" : message)
        }
    }

    /// zlib's last error on this file (`gzerror`).
    private func errorMessage() -> (code: Int32, message: String) {
        var code: Int32 = Z_OK
        let text = gzerror(openHandle(), &code)
        return (code, text.map { String(cString: $0) } ?? "")
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
