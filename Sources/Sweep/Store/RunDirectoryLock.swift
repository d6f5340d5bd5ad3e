// Keeps a run directory to one coordinator at a time.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock`) on `RUN_DIR/coordinator.lock`, held by the coordinator that writes
/// the run directory's store for as long as it runs, and released when this object goes away.
///
/// The kernel releases the lock when the process ends, however it ends (SIGKILL included), so a lock left
/// by a dead coordinator never blocks the next one; the file itself stays. It holds the holder's host, PID
/// and start time as text, which a refused coordinator quotes. Readers of the store (`rank`, `report`,
/// `status`) never take it. The descriptor is close-on-exec: worker processes do not inherit the lock.
public final class RunDirectoryLock: Sendable {
    /// The lock file's name inside a run directory.
    public static let fileName = "coordinator.lock"

    /// Why the lock was not taken.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Another process holds it; `holder` is what it wrote in the file (host, PID, start time).
        case held(directory: String, holder: String)
        /// The file cannot be created, opened or locked.
        case unavailable(file: String, reason: String)
        /// The file system does not lock files (ENOLCK, EOPNOTSUPP: some network file systems).
        case unsupported(file: String, reason: String)

        public var description: String {
            switch self {
            case .held(let directory, let holder):
                return "\(directory) is in use by another coordinator (\(holder)): one coordinator per run "
                    + "directory. Stop that one, wait for it to end, or give another --run-dir."
            case .unavailable(let file, let reason):
                return "\(file): cannot lock the run directory: \(reason)"
            case .unsupported(let file, let reason):
                return "\(file): the file system does not lock files (\(reason)): nothing keeps a second "
                    + "coordinator off this run directory"
            }
        }
    }

    /// The lock file.
    public let fileURL: URL
    private let descriptor: Int32

    /// Creates `runDirectory` if needed and takes the lock without waiting, writing `host`, `processId`
    /// and `startedAt` into the file.
    ///
    /// Throws `.held` naming the holder when another process has it, `.unsupported` when the file system
    /// has no locks, `.unavailable` when the file cannot be used.
    public init(
        runDirectory: URL, host: String = ProcessInfo.processInfo.hostName,
        processId: Int32 = ProcessInfo.processInfo.processIdentifier, startedAt: Date = Date()
    ) throws(Failure) {
        fileURL = runDirectory.appendingPathComponent(Self.fileName, isDirectory: false)
        let path = fileURL.path
        do {
            try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        } catch {
            throw .unavailable(file: path, reason: "cannot create its directory: \(error.localizedDescription)")
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .unavailable(file: path, reason: Self.lastError()) }
        var result: Int32
        repeat { result = flock(descriptor, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        if result != 0 {
            let code = errno
            let holder = Self.contents(of: descriptor)
            close(descriptor)
            let reason = String(cString: strerror(code))
            if code == ENOLCK || code == EOPNOTSUPP || code == ENOSYS { throw .unsupported(file: path, reason: reason) }
            guard code == EWOULDBLOCK else { throw .unavailable(file: path, reason: reason) }
            throw .held(
                directory: runDirectory.path,
                holder: holder.isEmpty ? "no details written yet" : holder)
        }
        self.descriptor = descriptor
        let started = ISO8601DateFormatter().string(from: startedAt)
        let text = "host \(host), PID \(processId), started \(started)\n"
        guard ftruncate(descriptor, 0) == 0, Self.write(text, to: descriptor) else {
            let reason = Self.lastError()
            close(descriptor)
            throw .unavailable(file: path, reason: reason)
        }
    }

    deinit {
        // Closing the only descriptor of the open file releases the lock.
        close(descriptor)
    }

    /// The holder's line, as written in the file (empty when it cannot be read).
    private static func contents(of descriptor: Int32) -> String {
        var bytes = [UInt8](repeating: 0, count: 512)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return "" }
        return String(decoding: bytes[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func write(_ text: String, to descriptor: Int32) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
