// Reading a spec's `early_stopping` mapping into an `EarlyStopping` rule, every problem reported.

import Yams

extension SpecParser {
    /// The keys `early_stopping` may have, by rule.
    private enum EarlyStoppingKey: String, CaseIterable {
        case kind, metric, unit, rungs, mode, brackets
        case keepCheckpoints = "keep_checkpoints"
        case reductionFactor = "reduction_factor"
        case graceEpochs = "grace_epochs"
        case minimumTrials = "minimum_trials"

        static let common: [EarlyStoppingKey] = [.kind, .metric, .unit]
        static let asha: [EarlyStoppingKey] = common + [.rungs, .reductionFactor, .mode, .keepCheckpoints]
        static let median: [EarlyStoppingKey] = common + [.graceEpochs, .minimumTrials]
        static let hyperband: [EarlyStoppingKey] = common + [.rungs, .reductionFactor, .brackets, .keepCheckpoints]
    }

    static let defaultReductionFactor = 3.0
    static let defaultMinimumTrials = 3

    /// The rule, or nil when the spec has none or when it has problems (reported).
    ///
    /// Rungs and the grace period are checked against the fewest epochs of any grid point: a rung at or
    /// past a trial's last epoch could never stop anything.
    mutating func readEarlyStopping(_ node: Node?, rankBy: RankingMetric?, gridPoints: [GridPoint]) -> EarlyStopping? {
        guard let node else { return nil }
        let location = "early_stopping"
        guard case .mapping(let mapping) = node else {
            report(node, location, "expected a mapping such as {kind: asha, rungs: [1, 2, 4], reduction_factor: 3}")
            return nil
        }
        var entries: [EarlyStoppingKey: Node] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalarText, let key = EarlyStoppingKey(rawValue: name) else {
                let known = EarlyStoppingKey.allCases.map(\.rawValue).joined(separator: ", ")
                report(keyNode, "\(location).\(keyNode.scalarText ?? "")", "unknown key (expected one of: \(known))")
                continue
            }
            entries[key] = value
        }
        guard let kindNode = entries[.kind] else {
            report(node, "\(location).kind", "missing: say which rule stops trials (asha, hyperband or median)")
            return nil
        }
        let allowed: [EarlyStoppingKey]
        switch kindNode.scalarText {
        case "asha": allowed = EarlyStoppingKey.asha
        case "median": allowed = EarlyStoppingKey.median
        case "hyperband": allowed = EarlyStoppingKey.hyperband
        default:
            report(kindNode, "\(location).kind", "unknown rule '\(kindNode.scalarText ?? "")' (known: asha, hyperband, median)")
            return nil
        }
        var valid = true
        for (key, value) in entries where !allowed.contains(key) {
            report(value, "\(location).\(key.rawValue)", "not a setting of \(kindNode.scalarText!) (it has: "
                + allowed.map(\.rawValue).joined(separator: ", ") + ")")
            valid = false
        }

        let metric = readStoppingMetric(entries[.metric], rankBy: rankBy, location: location)
        let isHyperband = kindNode.scalarText == "hyperband"
        // Hyperband's brackets pause and promote, as ASHA with `mode: promote` does.
        let mode = isHyperband ? .promote : readStoppingMode(entries[.mode], location: location)
        var unit = readStoppingUnit(entries[.unit], location: location)
        if mode == .promote {
            if entries[.unit] == nil {
                unit = .trial
            } else if unit == .configuration {
                report(
                    entries[.unit], "\(location).unit",
                    isHyperband
                        ? "hyperband pauses and resumes single trials: use unit: trial (its default)"
                        : "mode: promote pauses and resumes single trials: use unit: trial (its default), or mode: stop "
                            + "to compare configurations")
                valid = false
            }
        }
        let keepsCheckpoints = readFlag(entries[.keepCheckpoints], keyPath: "\(location).keep_checkpoints")
        if entries[.keepCheckpoints] != nil, mode != .promote {
            report(
                entries[.keepCheckpoints], "\(location).keep_checkpoints",
                "only a rule with mode: promote stores checkpoints")
            valid = false
        }
        let epochs = gridPoints.map(\.configuration.epochs).min()
        let rule: EarlyStopping.Rule?
        if kindNode.scalarText == "asha" || isHyperband {
            rule = readASHA(entries, epochs: epochs, location: location)
        } else {
            rule = readMedian(entries, epochs: epochs, location: location)
        }
        var brackets: Int? = 1
        if isHyperband, case .asha(let rungs, _)? = rule {
            brackets = readPositiveInteger(entries[.brackets], default: rungs.count + 1, keyPath: "\(location).brackets")
            if let count = brackets, count > rungs.count + 1 {
                report(
                    entries[.brackets], "\(location).brackets",
                    "\(count) brackets over \(rungs.count) rung(s): at most \(rungs.count + 1) (the last trains every trial to its end)")
                brackets = nil
            }
        }
        guard valid, let metric, let unit, let rule, let mode, let keepsCheckpoints, let brackets else { return nil }
        return EarlyStopping(
            rule: rule, metric: metric, unit: unit, mode: mode, keepsCheckpoints: keepsCheckpoints, brackets: brackets)
    }

    private mutating func readStoppingMode(_ node: Node?, location: String) -> EarlyStopping.Mode? {
        guard let node else { return .stop }
        guard let text = node.scalarText, let mode = EarlyStopping.Mode(rawValue: text) else {
            report(
                node, "\(location).mode",
                "expected stop (a unit not among the best at a rung stops) or promote (it pauses, and may be "
                    + "promoted later)")
            return nil
        }
        return mode
    }

    private mutating func readFlag(_ node: Node?, keyPath: String) -> Bool? {
        guard let node else { return false }
        guard node.tagName == .bool, let scalar = node.scalar, let value = Bool.construct(from: scalar) else {
            report(node, keyPath, "expected true or false")
            return nil
        }
        return value
    }

    private mutating func readStoppingMetric(_ node: Node?, rankBy: RankingMetric?, location: String) -> RankingMetric? {
        guard let node else { return rankBy?.perEpochCounterpart }
        guard let name = node.scalarText else {
            report(node, "\(location).metric", "expected a metric name such as validation.psnr")
            return nil
        }
        let metric: RankingMetric
        do { metric = try RankingMetric.named(name) } catch {
            report(node, "\(location).metric", error.description)
            return nil
        }
        guard metric.isPerEpoch else {
            report(
                node, "\(location).metric",
                "\(metric) is measured once, after the last epoch; early stopping needs a metric of every epoch "
                    + "(e.g. \(metric.perEpochCounterpart))")
            return nil
        }
        return metric
    }

    private mutating func readStoppingUnit(_ node: Node?, location: String) -> EarlyStopping.Unit? {
        guard let node else { return .configuration }
        guard let text = node.scalarText, let unit = EarlyStopping.Unit(rawValue: text) else {
            report(node, "\(location).unit", "expected configuration (the mean over its seeds) or trial")
            return nil
        }
        return unit
    }

    private mutating func readASHA(_ entries: [EarlyStoppingKey: Node], epochs: Int?, location: String) -> EarlyStopping.Rule? {
        var reductionFactor: Double? = Self.defaultReductionFactor
        if let node = entries[.reductionFactor] {
            if let scalar = node.scalar, [.int, .float].contains(node.tagName), let value = Double.construct(from: scalar),
                value > 1, value.isFinite
            {
                reductionFactor = value
            } else {
                report(node, "\(location).reduction_factor", "expected a number > 1 (keep the best 1/η at each rung)")
                reductionFactor = nil
            }
        }
        guard let reductionFactor else { return nil }
        guard let rungsNode = entries[.rungs] else {
            guard let epochs else { return nil }
            let rungs = EarlyStopping.defaultRungs(reductionFactor: reductionFactor, epochs: epochs)
            guard !rungs.isEmpty else {
                report(
                    entries[.kind], "\(location)",
                    "trials of \(epochs) epoch(s) leave no epoch to compare them at before their end; train longer")
                return nil
            }
            return .asha(rungs: rungs, reductionFactor: reductionFactor)
        }
        guard case .sequence(let sequence) = rungsNode, !sequence.isEmpty else {
            report(rungsNode, "\(location).rungs", "expected a list of epochs, e.g. [1, 2, 4]")
            return nil
        }
        var rungs: [Int] = []
        for (index, element) in sequence.enumerated() {
            let keyPath = "\(location).rungs[\(index)]"
            guard element.tagName == .int, let scalar = element.scalar, let rung = Int.construct(from: scalar), rung >= 1
            else {
                report(element, keyPath, "expected an epoch ≥ 1")
                return nil
            }
            if let last = rungs.last, rung <= last {
                report(element, keyPath, "rungs must increase (\(rung) follows \(last))")
                return nil
            }
            if let epochs, rung >= epochs {
                report(
                    element, keyPath,
                    "rung \(rung) is not before the last epoch (some trials train \(epochs) epoch(s))")
                return nil
            }
            rungs.append(rung)
        }
        return .asha(rungs: rungs, reductionFactor: reductionFactor)
    }

    private mutating func readMedian(_ entries: [EarlyStoppingKey: Node], epochs: Int?, location: String) -> EarlyStopping.Rule? {
        let grace = readPositiveInteger(entries[.graceEpochs], default: 1, keyPath: "\(location).grace_epochs")
        let minimum = readPositiveInteger(
            entries[.minimumTrials], default: Self.defaultMinimumTrials, keyPath: "\(location).minimum_trials")
        guard let grace, let minimum else { return nil }
        if let epochs, grace >= epochs {
            report(
                entries[.graceEpochs] ?? entries[.kind], "\(location).grace_epochs",
                "\(grace) is not before the last epoch (some trials train \(epochs) epoch(s))")
            return nil
        }
        return .median(graceEpochs: grace, minimumTrials: minimum)
    }

    private mutating func readPositiveInteger(_ node: Node?, default value: Int, keyPath: String) -> Int? {
        guard let node else { return value }
        guard node.tagName == .int, let scalar = node.scalar, let number = Int.construct(from: scalar), number >= 1 else {
            report(node, keyPath, "expected an integer ≥ 1")
            return nil
        }
        return number
    }
}
