// Trained weights are stored in the safetensors format (8-byte header length, JSON header, raw
// little-endian data), which PyTorch, JAX and NumPy users can load directly.

import Foundation

/// Named Float32 tensors in the safetensors format.
public struct SafeTensors: Sendable, Equatable {
    /// One tensor: its shape and values, row-major.
    public struct Entry: Sendable, Equatable {
        public var shape: [Int]
        public var values: [Float]

        public init(shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
            self.shape = shape
            self.values = values
        }
    }

    /// Tensors by name, written in name order.
    public var tensors: [String: Entry]
    /// Free-form string metadata (`__metadata__`).
    public var metadata: [String: String]

    public init(tensors: [String: Entry], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The file's bytes.
    public func encoded() -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let entry = tensors[name]!
            let size = entry.values.count * MemoryLayout<Float>.size
            header[name] = ["dtype": "F32", "shape": entry.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        // JSONSerialization accepts these plain dictionaries; it cannot fail here.
        var headerBytes = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data("{}".utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
        var data = Data()
        data.reserveCapacity(8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(headerBytes)
        for name in names {
            tensors[name]!.values.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Parses safetensors bytes; `source` names them in errors.
    public init(decoding data: Data, source: String) throws(PersistenceError) {
        func fail(_ reason: String) -> PersistenceError { .malformed(source: source, reason: reason) }
        guard data.count >= 8 else { throw fail("shorter than the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("header length \(headerLength) exceeds the file's \(data.count) bytes")
        }
        let headerStart = data.startIndex + 8
        let bodyStart = headerStart + Int(headerLength)
        let headerData = data[headerStart..<bodyStart]
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        let bodyCount = data.count - 8 - Int(headerLength)
        var tensors: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail("tensor '\(name)' has no valid dtype, shape and data_offsets") }
            guard dtype == "F32" else { throw fail("tensor '\(name)' is \(dtype); only F32 is supported") }
            let count = shape.reduce(1, *)
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] - offsets[0] == count * 4,
                offsets[1] <= bodyCount
            else { throw fail("tensor '\(name)': shape \(shape) does not match data_offsets \(offsets)") }
            let bytes = data[(bodyStart + offsets[0])..<(bodyStart + offsets[1])]
            let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                _ = bytes.copyBytes(to: buffer)
                initialized = count
            }
            tensors[name] = Entry(shape: shape, values: values.map { Float(bitPattern: $0.bitPattern.littleEndian) })
        }
        self.init(tensors: tensors, metadata: metadata)
    }

    /// Writes the file atomically.
    public func write(to url: URL) throws(PersistenceError) {
        do {
            try encoded().write(to: url, options: .atomic)
        } catch {
            throw .unwritable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Reads a file.
    public init(contentsOf url: URL) throws(PersistenceError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(decoding: data, source: url.path)
    }
}

/// Why stored weights or results could not be read or written.
public enum PersistenceError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    case malformed(source: String, reason: String)
    /// A JSON record (`metrics.jsonl`, `summary.json`) that does not decode.
    case malformedRecord(source: String, reason: String)
    case mismatch(source: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .unwritable(let path, let reason): "\(path): cannot write: \(reason)"
        case .malformed(let source, let reason): "\(source): not a valid safetensors file: \(reason)"
        case .malformedRecord(let source, let reason): "\(source): not a record aesweep wrote: \(reason)"
        case .mismatch(let source, let reason): "\(source): does not fit the model: \(reason)"
        }
    }
}
