// The files under docker/ checked against the real binary: YAML that parses, every aesweep subcommand
// and flag they use (as `aesweep … --help` lists them), shell syntax, the entrypoint's mapping of
// environment to flags, and the settings that let workers scale and stop cleanly.

import Foundation
import TestSupport
import Testing
// Not a declared dependency of this target: it comes with Sweep, which links it.
import Yams

@Suite("Deployment files")
struct DeploymentFilesTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let docker = repository.appendingPathComponent("docker", isDirectory: true)
    static let entrypoint = docker.appendingPathComponent("entrypoint.sh")
    static let compose = docker.appendingPathComponent("compose.yaml")
    static let sbatch = docker.appendingPathComponent("slurm/aesweep.sbatch")

    static var kubernetesFiles: [URL] {
        let directory = docker.appendingPathComponent("k8s", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    static var yamlFiles: [URL] { [compose] + kubernetesFiles }

    // MARK: - Tests

    @Test func composeAndKubernetesFilesAreValidYAML() throws {
        #expect(Self.kubernetesFiles.count >= 3, "docker/k8s/ should hold the coordinator, worker and secret manifests")
        for file in Self.yamlFiles {
            do {
                let documents = try Self.documents(in: file)
                #expect(!documents.isEmpty, "\(file.lastPathComponent) holds no YAML document")
            } catch {
                Issue.record(error)
            }
        }
    }

    @Test func shellScriptsPassTheirShellsSyntaxCheck() throws {
        for (shell, script) in [("/bin/sh", Self.entrypoint), ("/bin/bash", Self.sbatch)] {
            let outcome = try CommandRunner.run(["-n", script.path], executable: URL(fileURLWithPath: shell))
            #expect(outcome.status == 0, "\(shell) -n \(script.lastPathComponent): \(outcome.standardError)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: Self.entrypoint.path), "entrypoint.sh is not executable")
    }

    @Test func everyAesweepInvocationNamesARealSubcommandAndRealFlags() throws {
        let stub = try StubBinary()
        var invocations: [Invocation] = []
        for file in Self.yamlFiles {
            for document in try Self.documents(in: file) {
                invocations += try Self.invocations(inYAML: document, file: file.lastPathComponent, stub: stub)
            }
            invocations += Self.commentedInvocations(in: try String(contentsOf: file, encoding: .utf8), file: file.lastPathComponent)
        }
        let sbatchText = try String(contentsOf: Self.sbatch, encoding: .utf8)
        let sbatchInvocations = Self.shellInvocations(in: sbatchText, file: "aesweep.sbatch")
        #expect(Set(sbatchInvocations.compactMap(\.words.first)).isSuperset(of: ["coordinator", "worker"]))
        invocations += sbatchInvocations
        invocations += Self.commentedInvocations(in: sbatchText, file: "aesweep.sbatch")
        let documentation = try String(contentsOf: Self.docker.appendingPathComponent("README.md"), encoding: .utf8)
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(Self.section("## Containers and clusters", of: readme), "README.md has no such section")
        let documented = Self.markdownInvocations(in: documentation, file: "docker/README.md")
            + Self.markdownInvocations(in: section, file: "README.md")
        #expect(Set(documented.compactMap(\.words.first)).contains("keys"), "the READMEs show how to make the keys")
        invocations += documented
        let entrypointInvocations = try Self.entrypointInvocationsWithEveryVariableSet(stub: stub)
        invocations += entrypointInvocations

        let composeSubcommands = Set(invocations.filter { $0.source.hasPrefix("compose.yaml") }.compactMap(\.words.first))
        #expect(composeSubcommands.isSuperset(of: ["coordinator", "worker", "status"]), "\(composeSubcommands)")
        let kubernetesSubcommands = Set(
            invocations.filter { $0.source.hasPrefix("coordinator.yaml") || $0.source.hasPrefix("worker-job.yaml") }
                .compactMap(\.words.first))
        #expect(kubernetesSubcommands.isSuperset(of: ["coordinator", "worker", "status"]), "\(kubernetesSubcommands)")

        var help = HelpTexts()
        for invocation in invocations {
            for problem in try help.problems(with: invocation) {
                Issue.record("\(invocation.source): aesweep \(invocation.words.joined(separator: " ")): \(problem)")
            }
        }

        // Every flag the entrypoint can add was in one of the command lines just checked.
        let entrypointText = try String(contentsOf: Self.entrypoint, encoding: .utf8)
        let produced = Set(entrypointInvocations.flatMap(\.words))
        for flag in Self.flags(in: Self.code(of: entrypointText)).subtracting(["--help", "--version"]) {
            #expect(produced.contains(flag), "entrypoint.sh has \(flag), which no subcommand's run produced")
        }
    }

    @Test func entrypointDocumentsEveryVariableItReadsAndReadsEveryOneItDocuments() throws {
        let text = try String(contentsOf: Self.entrypoint, encoding: .utf8)
        let documented = Self.documentedVariables(in: text)
        let read = Set(Self.matches(of: #"\$\{?(AESWEEP_[A-Z_]+)"#, in: Self.code(of: text)))
        #expect(documented == read, "documented only: \(documented.subtracting(read)); read only: \(read.subtracting(documented))")
        for variable in ["AESWEEP_BIN", "AESWEEP_SPEC", "AESWEEP_BIND", "AESWEEP_CONNECT", "AESWEEP_KEYS_DIR",
                         "AESWEEP_RUN_DIR", "AESWEEP_DATA_DIR", "AESWEEP_WORKER_NAME", "AESWEEP_LOG_FORMAT", "AESWEEP_KEEP_ALIVE"] {
            #expect(documented.contains(variable), "\(variable) is not documented at the top of entrypoint.sh")
        }
        // The orchestration files set only variables that the entrypoint (or aesweep itself) reads.
        for file in Self.yamlFiles {
            let used = Set(Self.matches(of: #"\b(AESWEEP_[A-Z_]+)\b"#, in: Self.code(of: try String(contentsOf: file, encoding: .utf8))))
            for variable in used.subtracting(documented).subtracting(["AESWEEP_DATA"]) {
                Issue.record("\(file.lastPathComponent) sets \(variable), which entrypoint.sh does not read")
            }
        }
    }

    @Test func entrypointTurnsTheEnvironmentIntoFlagsAndLetsArgumentsWin() throws {
        let stub = try StubBinary()

        let coordinator = try stub.entrypoint(
            ["coordinator", "--bind", "tcp://127.0.0.1:6000", "--fresh"],
            environment: ["AESWEEP_SPEC": "sweeps/a b.yaml", "AESWEEP_KEYS_DIR": "/keys/", "AESWEEP_LOG_FORMAT": "json",
                          "AESWEEP_RUN_DIR": "runs/x", "AESWEEP_DATA_DIR": "/data"])
        #expect(coordinator.first == "coordinator")
        #expect(Self.value(of: "--bind", in: coordinator) == "tcp://127.0.0.1:6000")
        #expect(Self.value(of: "--secret-key", in: coordinator) == "/keys/coordinator.key_secret")
        #expect(Self.value(of: "--authorized-keys", in: coordinator) == "/keys/authorized")
        #expect(Self.value(of: "--log-format", in: coordinator) == "json")
        #expect(Self.value(of: "--run-dir", in: coordinator) == "runs/x")
        #expect(Self.value(of: "--data-dir", in: coordinator) == "/data")
        #expect(coordinator.filter { $0 == "sweeps/a b.yaml" }.count == 1)
        #expect(coordinator.last == "--fresh")
        #expect(!coordinator.contains("--insecure"))

        let defaultBind = try stub.entrypoint(["coordinator", "given.yaml"], environment: ["AESWEEP_SPEC": "ignored.yaml"])
        #expect(Self.value(of: "--bind", in: defaultBind) == "tcp://0.0.0.0:5555")
        #expect(defaultBind.contains("given.yaml") && !defaultBind.contains("ignored.yaml"))
        #expect(!defaultBind.contains("--secret-key"), "no keys without AESWEEP_KEYS_DIR")

        let worker = try stub.entrypoint(
            ["worker"],
            environment: ["AESWEEP_CONNECT": "tcp://coordinator:5555", "AESWEEP_KEYS_DIR": "/keys",
                          "AESWEEP_KEY": "/elsewhere/w.key_secret", "AESWEEP_KEEP_ALIVE": "true"])
        #expect(worker.first == "worker")
        #expect(Self.value(of: "--connect", in: worker) == "tcp://coordinator:5555")
        #expect(Self.value(of: "--key", in: worker) == "/elsewhere/w.key_secret")
        #expect(Self.value(of: "--coordinator-key", in: worker) == "/keys/coordinator.key")
        #expect(!(Self.value(of: "--name", in: worker) ?? "").isEmpty, "a worker is named after its host by default")
        #expect(worker.contains("--keep-alive"))
        let named = try stub.entrypoint(["worker"], environment: ["AESWEEP_WORKER_NAME": "w-7", "AESWEEP_KEEP_ALIVE": "0"])
        #expect(Self.value(of: "--name", in: named) == "w-7")
        #expect(!named.contains("--keep-alive"))

        #expect(try stub.entrypoint(["report"], environment: ["AESWEEP_RUN_DIR": "runs/x"]).prefix(2) == ["report", "runs/x"])
        #expect(try stub.entrypoint(["status", "--json"], environment: [:]) == ["status", "--json"])
        #expect(try stub.entrypoint(["rank", "runs/x"], environment: [:]) == ["rank", "runs/x"])
        #expect(try stub.entrypoint(["aesweep", "keys", "generate", "a"], environment: [:]) == ["keys", "generate", "a"])

        let noSpec = try CommandRunner.run(["sweep"], environment: ["AESWEEP_BIN": stub.url.path], executable: Self.entrypoint)
        #expect(noSpec.status == 64 && noSpec.standardOutput.isEmpty, "\(noSpec.standardError)")
        #expect(noSpec.standardError.contains("AESWEEP_SPEC"))
    }

    /// The entrypoint execs aesweep, so the worker itself gets SIGTERM, hands back (nothing) and exits 0.
    @Test func workerStartedThroughTheEntrypointIsAesweepItselfAndStopsCleanlyOnSIGTERM() throws {
        let worker = try CommandRunner(
            ["worker"],
            environment: ["AESWEEP_BIN": CommandRunner.executable.path,
                          "AESWEEP_CONNECT": LoopbackPort.nextEndpoint(),
                          "AESWEEP_WORKER_NAME": "entrypoint-test"],
            executable: Self.entrypoint)
        #expect(worker.waitForOutput(containing: "worker started", inErrors: true, timeout: 30), "\(worker.errorSoFar)")
        let name = (try? String(contentsOfFile: "/proc/\(worker.processIdentifier)/comm", encoding: .utf8)) ?? ""
        #expect(name.trimmingCharacters(in: .whitespacesAndNewlines) == "aesweep", "the entrypoint's process is \(name)")
        worker.send(SIGTERM)
        let outcome = try worker.wait(timeout: 30)
        #expect(outcome.status == 0 && !outcome.wasSignalled, "\(outcome.standardError)")
    }

    @Test func composeWorkersScaleAndWaitForAHealthyCoordinator() throws {
        let file = try #require(Self.documents(in: Self.compose).first as? [String: Any])
        let services = try #require(file["services"] as? [String: Any])
        let coordinator = try #require(services["coordinator"] as? [String: Any])
        let worker = try #require(services["worker"] as? [String: Any])

        #expect(worker["container_name"] == nil, "a fixed container name keeps `--scale worker=N` from working")
        #expect(worker["ports"] == nil, "a published host port keeps `--scale worker=N` from working")
        let dependsOn = try #require(worker["depends_on"] as? [String: Any], "depends_on must be the long form")
        let onCoordinator = try #require(dependsOn["coordinator"] as? [String: Any])
        #expect(onCoordinator["condition"] as? String == "service_healthy")
        #expect(worker["restart"] as? String == "on-failure")
        let grace = try #require(worker["stop_grace_period"] as? String)
        #expect(try #require(Self.seconds(grace)) >= 30, "\(grace) is short for a worker handing its trial back")

        let healthcheck = try #require(coordinator["healthcheck"] as? [String: Any])
        let test = try #require(healthcheck["test"] as? [Any]).compactMap { $0 as? String }
        #expect(test.contains("aesweep") && test.contains("status") && test.contains("--key"), "\(test)")
        #expect(coordinator["secrets"] != nil && worker["secrets"] != nil, "the keys come as compose secrets")
    }

    /// The Job whose pods are labelled `app.kubernetes.io/component: component`.
    static func job(_ component: String, in documents: [[String: Any]]) -> [String: Any]? {
        documents.first { document in
            let labels = (document["metadata"] as? [String: Any])?["labels"] as? [String: Any]
            return document["kind"] as? String == "Job" && labels?["app.kubernetes.io/component"] as? String == component
        }
    }

    @Test func kubernetesWorkersGetOneCPUAndOneBLASThreadAndTimeToHandTheirTrialBack() throws {
        let documents = try Self.kubernetesFiles.flatMap { try Self.documents(in: $0) }.compactMap { $0 as? [String: Any] }
        let job = try #require(Self.job("worker", in: documents), "no worker Job")
        let jobSpec = try #require(job["spec"] as? [String: Any])
        #expect(Self.integer(jobSpec["parallelism"]) != nil && Self.integer(jobSpec["parallelism"]) == Self.integer(jobSpec["completions"]))
        let podSpec = try #require((jobSpec["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(podSpec["restartPolicy"] as? String == "OnFailure")
        #expect((Self.integer(podSpec["terminationGracePeriodSeconds"]) ?? 0) >= 30)
        let container = try #require((podSpec["containers"] as? [Any])?.first as? [String: Any])
        let environment = Self.environment(of: container)
        #expect(environment["OPENBLAS_NUM_THREADS"] == "1", "\(environment)")
        #expect(environment["AESWEEP_CONNECT"]?.hasPrefix("tcp://") == true)
        let requests = (container["resources"] as? [String: Any])?["requests"] as? [String: Any]
        #expect(requests.map { "\($0["cpu"] ?? "")" } == "1", "\(String(describing: requests))")

        // The coordinator is a Job that completes with the sweep (kubectl wait works on it): one pod at a
        // time, never restarted in place, probed through aesweep status.
        let coordinatorJob = try #require(Self.job("coordinator", in: documents), "no coordinator Job")
        let coordinatorSpec = try #require(coordinatorJob["spec"] as? [String: Any])
        #expect(Self.integer(coordinatorSpec["parallelism"]) == 1 && Self.integer(coordinatorSpec["completions"]) == 1)
        let coordinatorPod = try #require((coordinatorSpec["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(coordinatorPod["restartPolicy"] as? String == "Never")
        let coordinator = try #require((coordinatorPod["containers"] as? [Any])?.first as? [String: Any])
        for probe in ["startupProbe", "readinessProbe", "livenessProbe"] {
            let command = ((coordinator[probe] as? [String: Any])?["exec"] as? [String: Any])?["command"] as? [Any]
            #expect(command?.compactMap { $0 as? String }.prefix(2) == ["aesweep", "status"], "\(probe): \(String(describing: command))")
        }
        #expect(documents.contains { $0["kind"] as? String == "Service" })
        #expect(documents.contains { $0["kind"] as? String == "PersistentVolumeClaim" })
        #expect(documents.filter { $0["kind"] as? String == "Secret" }.count >= 1)
    }
}

// MARK: - Reading the files

extension DeploymentFilesTests {
    /// One aesweep command line found in a file: the words after `aesweep`.
    struct Invocation {
        let source: String
        let words: [String]
    }

    /// A YAML file that does not parse.
    struct YAMLFileError: Error, CustomStringConvertible {
        let file: URL
        let underlying: any Error
        var description: String { "\(file.path): \(underlying)" }
    }

    /// Every YAML document of `file`, or the parser's error naming the file.
    static func documents(in file: URL) throws -> [Any] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var documents: [Any] = []
        do {
            var sequence = try Yams.load_all(yaml: text)
            while let document = sequence.next() { documents.append(Self.plain(document)) }
            if let error = sequence.error { throw error }
        } catch {
            throw YAMLFileError(file: file, underlying: error)
        }
        return documents
    }

    /// Yams's mappings, keyed by `AnyHashable`, as `[String: Any]` all the way down.
    static func plain(_ value: Any) -> Any {
        if let mapping = value as? [AnyHashable: Any] {
            return Dictionary(uniqueKeysWithValues: mapping.map { ("\($0.key.base)", plain($0.value)) })
        }
        if let sequence = value as? [Any] { return sequence.map(plain) }
        return value
    }

    /// Command lines in a parsed YAML document: lists of strings with an `aesweep` element (health
    /// checks, probes), and the `command` (compose) or `args` (Kubernetes) of the image, which run through
    /// the entrypoint; those are run with the stub binary and their own environment, so that the flags the
    /// entrypoint makes of it are checked too.
    static func invocations(inYAML value: Any, file: String, path: String = "", stub: StubBinary) throws -> [Invocation] {
        var found: [Invocation] = []
        if let mapping = value as? [String: Any] {
            if mapping["image"] != nil {
                let arguments = ((mapping["args"] ?? mapping["command"]) as? [Any])?.compactMap { $0 as? String }
                if let arguments, let first = arguments.first, first != "aesweep", !first.hasSuffix("/aesweep") {
                    let words = try stub.entrypoint(arguments, environment: environment(of: mapping))
                    found.append(Invocation(source: "\(file)\(path) through entrypoint.sh", words: words))
                }
            }
            for key in mapping.keys.sorted() {
                found += try invocations(inYAML: mapping[key]!, file: file, path: "\(path).\(key)", stub: stub)
            }
        } else if let sequence = value as? [Any] {
            let strings = sequence.compactMap { $0 as? String }
            if strings.count == sequence.count, let start = strings.firstIndex(where: isLauncher) {
                found.append(Invocation(source: "\(file)\(path)", words: Array(strings[(start + 1)...])))
            }
            for (index, element) in sequence.enumerated() {
                found += try invocations(inYAML: element, file: file, path: "\(path)[\(index)]", stub: stub)
            }
        } else if let string = value as? String {
            // A shell command in a string (sh -c "aesweep …").
            found += wordsAfterLaunchers(in: tokens(of: string)).map { Invocation(source: "\(file)\(path)", words: $0) }
        }
        return found
    }

    /// A container's or service's environment: a compose mapping or list, or a Kubernetes `env` list.
    static func environment(of container: [String: Any]) -> [String: String] {
        var environment: [String: String] = [:]
        if let mapping = container["environment"] as? [String: Any] {
            for (name, value) in mapping { environment[name] = "\(value)" }
        } else if let list = container["environment"] as? [Any] {
            for case let entry as String in list {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                environment[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
        }
        for case let entry as [String: Any] in container["env"] as? [Any] ?? [] {
            guard let name = entry["name"] as? String else { continue }
            environment[name] = entry["value"].map { "\($0)" } ?? "from-\(name)"
        }
        return environment
    }

    /// Commands in shell code: `aesweep SUBCOMMAND …` up to the end of the command, with `"${NAME[@]}"`
    /// replaced by the words of the array NAME's assignments (`NAME=(…)`, `NAME+=(…)`).
    static func shellInvocations(in text: String, file: String) -> [Invocation] {
        let code = code(of: text)
        var arrays: [String: [String]] = [:]
        let assignment = try! NSRegularExpression(pattern: #"([A-Za-z_][A-Za-z_0-9]*)\+?=\(([^)]*)\)"#)
        for match in assignment.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
            let name = String(code[Range(match.range(at: 1), in: code)!])
            arrays[name, default: []] += tokens(of: String(code[Range(match.range(at: 2), in: code)!]))
        }
        var found: [Invocation] = []
        for line in logicalLines(of: code) {
            let expanded = tokens(of: line).flatMap { token -> [String] in
                if token.hasPrefix("${"), token.hasSuffix("[@]}"), let words = arrays[String(token.dropFirst(2).dropLast(4))] {
                    return words
                }
                return [token]
            }
            found += wordsAfterLaunchers(in: expanded).map { Invocation(source: file, words: $0) }
        }
        return found
    }

    /// Commands written in comments for people to copy: comment lines that begin with `aesweep`.
    static func commentedInvocations(in text: String, file: String) -> [Invocation] {
        let comments = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            return trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : nil
        }
        return logicalLines(of: comments.joined(separator: "\n")).compactMap { line in
            let words = tokens(of: line)
            guard let first = words.first, isLauncher(first) else { return nil }
            return wordsAfterLaunchers(in: words).first.map { Invocation(source: "\(file) (comment)", words: $0) }
        }
    }

    /// Commands in Markdown code blocks: lines that begin with `aesweep`.
    static func markdownInvocations(in text: String, file: String) -> [Invocation] {
        var inCode = false
        var code: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                inCode.toggle()
            } else if inCode {
                code.append(trimmed)
            }
        }
        return logicalLines(of: code.joined(separator: "\n")).compactMap { line in
            let words = tokens(of: line)
            guard let first = words.first, isLauncher(first) else { return nil }
            return wordsAfterLaunchers(in: words).first.map { Invocation(source: "\(file) (code)", words: $0) }
        }
    }

    /// From the `heading` line to the next heading of the same level.
    static func section(_ heading: String, of text: String) -> String? {
        guard let start = text.range(of: "\n\(heading)\n") else { return nil }
        let rest = text[start.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// The entrypoint's command line for each of its subcommands with every variable it documents set.
    static func entrypointInvocationsWithEveryVariableSet(stub: StubBinary) throws -> [Invocation] {
        let text = try String(contentsOf: entrypoint, encoding: .utf8)
        var environment = Dictionary(uniqueKeysWithValues: documentedVariables(in: text).map { ($0, "1") })
        environment["AESWEEP_BIN"] = stub.url.path
        environment["AESWEEP_LOG_FORMAT"] = "json"
        return try ["coordinator", "worker", "sweep", "report", "status"].map { subcommand in
            let words = try stub.entrypoint([subcommand], environment: environment)
            #expect(words.first == subcommand, "entrypoint.sh \(subcommand) ran aesweep \(words)")
            return Invocation(source: "entrypoint.sh \(subcommand)", words: words)
        }
    }

    /// The `AESWEEP_*` variables named in the comment block at the top of the entrypoint.
    static func documentedVariables(in text: String) -> Set<String> {
        let header = text.split(separator: "\n").prefix { $0.hasPrefix("#") }.joined(separator: "\n")
        return Set(matches(of: #"^#\s+(AESWEEP_[A-Z_]+(?:,\s*AESWEEP_[A-Z_]+)*)"#, in: header, options: .anchorsMatchLines)
            .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
    }

    /// The text without its comment lines.
    static func code(of text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.drop { $0 == " " }.hasPrefix("#") }.joined(separator: "\n")
    }

    /// Lines with their backslash continuations joined.
    static func logicalLines(of text: String) -> [String] {
        text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map(String.init)
    }

    /// Shell words, roughly: split on blanks outside quotes, quotes removed.
    static func tokens(of line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    static func isLauncher(_ word: String) -> Bool {
        ["aesweep", "$aesweep", "${aesweep}", "${aesweep[@]}", "$AESWEEP_BIN", "${AESWEEP_BIN}"].contains(word)
            || word.hasSuffix("/aesweep")
    }

    /// For each launcher followed by a subcommand-like word: that word and the rest of the command.
    static func wordsAfterLaunchers(in words: [String]) -> [[String]] {
        let ends: Set<String> = ["&", "&&", "|", "||", ";", ")", ";;"]
        var found: [[String]] = []
        for (index, word) in words.enumerated() where isLauncher(word) && index + 1 < words.count {
            guard words[index + 1].range(of: #"^[a-z][a-z-]*$"#, options: .regularExpression) != nil else { continue }
            let rest = words[(index + 1)...].prefix { !ends.contains($0) && !$0.hasPrefix(">") && !$0.hasPrefix("2>") }
            found.append(Array(rest))
        }
        return found
    }

    static func flags(in text: String) -> Set<String> {
        Set(matches(of: #"(?<![\w-])(--[a-z][a-z-]*)"#, in: text))
    }

    /// The first capture group of every match.
    static func matches(of pattern: String, in text: String, options: NSRegularExpression.Options = []) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern, options: options)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }

    /// The value after the last `flag` (ArgumentParser keeps the last of a repeated option).
    static func value(of flag: String, in words: [String]) -> String? {
        guard let index = words.lastIndex(of: flag), index + 1 < words.count else { return nil }
        return words[index + 1]
    }

    static func integer(_ value: Any?) -> Int? {
        value as? Int ?? (value as? String).flatMap { Int($0) }
    }

    /// Compose durations: "90s", "2m", "1m30s".
    static func seconds(_ duration: String) -> Double? {
        let units: [Character: Double] = ["h": 3600, "m": 60, "s": 1]
        var total = 0.0
        var number = ""
        for character in duration {
            if character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units[character], let value = Double(number) {
                total += value * unit
                number = ""
            } else {
                return nil
            }
        }
        return number.isEmpty ? total : nil
    }
}

// MARK: - Checking against the binary

extension DeploymentFilesTests {
    /// `aesweep … --help` outputs, asked once each.
    struct HelpTexts {
        private var texts: [[String]: String] = [:]

        mutating func text(_ path: [String]) throws -> String {
            if let text = texts[path] { return text }
            let outcome = try CommandRunner.run(path + ["--help"], timeout: 60)
            let text = outcome.standardOutput + outcome.standardError
            texts[path] = text
            return text
        }

        /// What is wrong with `aesweep words…`: an unknown subcommand, or flags its help does not list.
        mutating func problems(with invocation: Invocation) throws -> [String] {
            guard let subcommand = invocation.words.first else { return ["no subcommand"] }
            var path = [subcommand]
            if try text(path).contains("SUBCOMMANDS:"), invocation.words.count > 1 {
                path.append(invocation.words[1])
            }
            let help = try text(path)
            guard help.contains("USAGE: aesweep \(path.joined(separator: " "))") else {
                return ["no subcommand `\(path.joined(separator: " "))`"]
            }
            return invocation.words.dropFirst(path.count).filter { $0.hasPrefix("--") }.compactMap { word in
                let flag = String(word.prefix { $0 != "=" })
                if flag == "--help" || flag == "--version" || Self.lists(flag, in: help) { return nil }
                return "`aesweep \(path.joined(separator: " ")) --help` has no \(flag)"
            }
        }

        /// Whether `flag` appears in `help` as a whole flag (`--key` is not in `--keep-alive`).
        static func lists(_ flag: String, in help: String) -> Bool {
            var searchRange = help.startIndex..<help.endIndex
            while let found = help.range(of: flag, range: searchRange) {
                let before = found.lowerBound == help.startIndex ? " " : help[help.index(before: found.lowerBound)]
                let after = found.upperBound == help.endIndex ? " " : help[found.upperBound]
                let isWordCharacter = { (character: Character) in character.isLetter || character.isNumber || character == "-" }
                if !isWordCharacter(before), !isWordCharacter(after) { return true }
                searchRange = found.upperBound..<help.endIndex
            }
            return false
        }
    }

    /// A stand-in for aesweep that prints its arguments, one per line, to see what the entrypoint runs.
    final class StubBinary: Sendable {
        let directory: TemporaryDirectory
        let url: URL

        init() throws {
            directory = try TemporaryDirectory(prefix: "entrypoint-stub")
            url = try directory.file("aesweep")
            try "#!/bin/sh\nfor argument in \"$@\"; do printf '%s\\n' \"$argument\"; done\n"
                .write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }

        /// The arguments `entrypoint.sh arguments…` gives aesweep with `environment` (and this stub as aesweep).
        func entrypoint(_ arguments: [String], environment: [String: String]) throws -> [String] {
            var environment = environment
            environment["AESWEEP_BIN"] = url.path
            let outcome = try CommandRunner.run(arguments, environment: environment, executable: DeploymentFilesTests.entrypoint)
            #expect(outcome.status == 0, "entrypoint.sh \(arguments): \(outcome.standardError)")
            return outcome.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
    }
}
