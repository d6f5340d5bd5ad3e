// Work over many independent items (a hundred thousand trials made, or their summaries read) split across the
// machine's cores.

import Dispatch
import Foundation

extension RandomAccessCollection where Index == Int {
    /// `map(transform)`, the elements taken in chunks of `chunkSize` on all cores; the order is kept. The first
    /// error thrown (by chunk order) is rethrown once every chunk has finished; a transform that cannot throw
    /// (`Failure` is `Never`) needs no `try`.
    func parallelMap<Value: Sendable, Failure: Error>(
        chunkSize: Int = 1_024, _ transform: @Sendable (Element) throws(Failure) -> Value
    ) throws(Failure) -> [Value] where Element: Sendable, Self: Sendable {
        let chunkCount = (count + chunkSize - 1) / chunkSize
        guard chunkCount > 1 else { return try map(transform) }
        let chunks = ChunkResults<Value, Failure>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = startIndex + chunk * chunkSize
            let end = Swift.min(start + chunkSize, endIndex)
            chunks.set(chunk, Result { () throws(Failure) in try self[start..<end].map(transform) })
        }
        return try chunks.values()
    }
}

/// Each chunk's result, set under a lock (once per chunk: the lock is not where the time goes).
private final class ChunkResults<Value: Sendable, Failure: Error>: @unchecked Sendable {
    private var results: [Result<[Value], Failure>?]
    private let lock = NSLock()

    init(count: Int) {
        results = Array(repeating: nil, count: count)
    }

    func set(_ chunk: Int, _ result: Result<[Value], Failure>) {
        lock.withLock { results[chunk] = result }
    }

    func values() throws(Failure) -> [Value] {
        var values: [Value] = []
        for result in results { values += try result!.get() }
        return values
    }
}
