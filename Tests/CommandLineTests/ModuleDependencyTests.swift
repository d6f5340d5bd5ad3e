import Foundation
import TestSupport
import Testing

/// The walls between modules are what Package.swift declares: every module imports only what it declares,
/// and declares nothing it does not import (an undeclared import builds only while another module happens
/// to pull the dependency in).
@Suite("Module dependencies")
struct ModuleDependencyTests {
    /// Modules of the toolchain, which no target declares.
    static let toolchainModules: Set<String> = [
        "Foundation", "FoundationNetworking", "FoundationXML", "Dispatch", "Synchronization", "Testing", "Glibc", "Darwin",
    ]

    /// The package as `swift package dump-package` describes it: each target's name, directory and declared
    /// dependencies (targets and products by name).
    static func targets() throws -> [(name: String, directory: URL, dependencies: Set<String>, kind: String)] {
        // A scratch path of its own: the test run holds the package's own build directory.
        let scratch = try TemporaryDirectory(prefix: "dump-package")
        let dump = try CommandRunner.run(
            ["swift", "package", "--package-path", RepositoryFiles.root.path, "--scratch-path", scratch.url.path, "dump-package"],
            executable: URL(fileURLWithPath: "/usr/bin/env"), timeout: 120)
        #expect(dump.status == 0, "\(dump.standardError)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(dump.standardOutput.utf8)) as? [String: Any])
        let targets = try #require(json["targets"] as? [[String: Any]])
        return targets.compactMap { target in
            guard let name = target["name"] as? String, let kind = target["type"] as? String, kind != "system" else { return nil }
            let defaultPath = kind == "test" ? "Tests/\(name)" : "Sources/\(name)"
            let path = (target["path"] as? String) ?? defaultPath
            var dependencies: Set<String> = []
            for dependency in target["dependencies"] as? [[String: Any]] ?? [] {
                for key in ["byName", "target", "product"] {
                    if let entry = dependency[key] as? [Any], let dependencyName = entry.first as? String {
                        dependencies.insert(dependencyName)
                    }
                }
            }
            return (name, RepositoryFiles.root.appendingPathComponent(path, isDirectory: true), dependencies, kind)
        }
    }

    /// The modules the Swift files under `directory` import (`@testable` ones included).
    static func imports(under directory: URL) throws -> Set<String> {
        var modules: Set<String> = []
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index == 0 || words[0] == "@testable" else { continue }
                // `import csv, json` in a Python example inside a string is no Swift import.
                if index + 1 < words.count, words[index + 1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                    modules.insert(String(words[index + 1]))
                }
            }
        }
        return modules
    }

    @Test func everyModuleImportsExactlyWhatItDeclares() throws {
        let targets = try Self.targets()
        #expect(targets.count >= 15, "\(targets.map(\.name))")
        let executables = Set(targets.filter { $0.kind == "executable" }.map(\.name))
        for target in targets {
            let imported = try Self.imports(under: target.directory).subtracting(Self.toolchainModules)
            // A test target may depend on an executable only to have it built (the tests run the binary).
            let declared = target.dependencies.subtracting(executables)
            #expect(imported.subtracting(declared).isEmpty, "\(target.name) imports \(imported.subtracting(declared).sorted()) without declaring it")
            #expect(declared.subtracting(imported).isEmpty, "\(target.name) declares \(declared.subtracting(imported).sorted()) but never imports it")
        }
    }
}
