extension DataInventory {
    /// A plain-text report, one block per dataset, one line per root; the root a load would use is
    /// marked with `*`.
    public var report: String {
        var lines: [String] = []
        for entry in entries {
            let selected = entry.selected?.directory.url
            let summary = selected.map { "uses \($0.path)" } ?? "not found"
            lines.append("\(entry.descriptor.name) (\(entry.descriptor.shape), \(entry.descriptor.classNames.count) classes): \(summary)")
            for location in entry.locations {
                let marker = location.directory.url == selected ? "*" : " "
                lines.append("  \(marker) \(location.directory.url.path) [\(location.root.origin.rawValue)]: \(status(of: location))")
                for file in location.verification ?? [] where !file.isValid && file.status != .missing {
                    lines.append("      \(describe(file))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    private func status(of location: Location) -> String {
        guard location.isFound else { return "absent" }
        let missing = location.directory.missingFiles.map(\.baseName)
        var text = missing.isEmpty ? "complete" : "incomplete, missing \(missing.joined(separator: ", "))"
        switch location.isVerified {
        case true?: text += ", checksums ok"
        case false?: text += missing.isEmpty ? ", CHECKSUM MISMATCH" : ""
        case nil: break
        }
        return text
    }

    private func describe(_ file: FileVerification) -> String {
        let name = file.url?.lastPathComponent ?? file.file.baseName
        switch file.status {
        case .valid: return "\(name): ok"
        case .missing: return "\(name): missing"
        case .mismatch(let actual): return "\(name): md5 \(actual), expected \(file.file.decompressedMD5)"
        case .unreadable(let error): return "\(name): \(error)"
        }
    }
}
