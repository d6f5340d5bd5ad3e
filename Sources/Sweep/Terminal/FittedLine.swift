// One line of parts that gives up its least important details first to fit a terminal's width.

/// A line made of parts, each with shorter forms to fall back on. Fitted to a width, the line steps its
/// parts down to shorter forms, the step of lowest priority first (the rightmost part first on a tie),
/// until it fits; a form may be `nil`, which leaves the part out. Earlier steps that the room made by
/// later ones makes unnecessary are then taken back, the weightiest first. A line that still does not
/// fit once every part is at its shortest is cut with `…`: the result is never wider than the width.
public struct FittedLine: Sendable, Equatable {
    /// One form of a part, and the priority of stepping down to it (lower steps are taken first).
    public struct Form: Sendable, Equatable {
        public var text: String?
        public var priority: Int

        public init(_ text: String?, priority: Int) {
            self.text = text
            self.priority = priority
        }
    }

    public struct Part: Sendable, Equatable {
        /// The text between this part and the visible part before it.
        public var separator: String
        public var full: String
        /// Shorter and shorter forms, in the order they are stepped down to.
        public var shorter: [Form]

        public init(_ full: String, separator: String = " · ", shorter: [Form] = []) {
            self.full = full
            self.separator = separator
            self.shorter = shorter
        }

        func text(at step: Int) -> String? { step == 0 ? full : shorter[step - 1].text }
    }

    public var parts: [Part]

    public init(_ parts: [Part]) {
        self.parts = parts
    }

    /// The line with every part in full.
    public var full: String { text(steps: parts.map { _ in 0 }) }

    /// The fullest line of at most `width` terminal cells; in full when `width` is nil.
    public func text(width: Int?) -> String {
        guard let width else { return full }
        var steps = parts.map { _ in 0 }
        var line = text(steps: steps)
        while TerminalText.width(of: line) > width {
            // The part whose next step has the lowest priority; the rightmost one on a tie.
            var chosen: Int?
            for index in parts.indices where steps[index] < parts[index].shorter.count {
                let priority = parts[index].shorter[steps[index]].priority
                if let current = chosen, parts[current].shorter[steps[current]].priority < priority { continue }
                chosen = index
            }
            guard let chosen else { return TerminalText.cut(line, toWidth: width) }
            steps[chosen] += 1
            line = text(steps: steps)
        }
        // The last step made room that an earlier one may no longer need (a part left out frees more than
        // a shorter wording): take earlier steps back while the line still fits, the weightiest first.
        var restored = true
        while restored {
            restored = false
            let taken = parts.indices.filter { steps[$0] > 0 }
                .sorted { parts[$0].shorter[steps[$0] - 1].priority > parts[$1].shorter[steps[$1] - 1].priority }
            for index in taken {
                steps[index] -= 1
                let candidate = text(steps: steps)
                if TerminalText.width(of: candidate) <= width {
                    line = candidate
                    restored = true
                    break
                }
                steps[index] += 1
            }
        }
        return line
    }

    private func text(steps: [Int]) -> String {
        var line = ""
        for (part, step) in zip(parts, steps) {
            guard let text = part.text(at: step) else { continue }
            line += (line.isEmpty ? "" : part.separator) + text
        }
        return line
    }
}
