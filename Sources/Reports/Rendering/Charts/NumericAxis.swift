import Foundation

/// A numeric axis: a domain widened to round values, its tick values and labels, and where a value
/// falls along it.
///
/// Linear ticks step by 1, 2 or 5 × 10ⁿ, the step chosen (as D3 does) so there are about
/// `targetTickCount` of them. Logarithmic ticks are the powers of ten when the domain holds at
/// least three, else 1, 2, 5 × 10ⁿ, else linear ticks placed logarithmically.
struct NumericAxis: Sendable {
    let scale: AxisScale
    /// The domain's ends; `lower < upper`, both positive on a logarithmic axis.
    let lower: Double
    let upper: Double
    /// Labelled values, ascending, inside the domain.
    let ticks: [Double]
    /// Unlabelled values for fainter grid lines (2…9 × 10ⁿ on a decade axis).
    let minorTicks: [Double]
    private let fractionDigits: Int?

    /// An axis covering `values` (non-finite values, and non-positive ones on a logarithmic axis,
    /// ignored); `nice` widens the domain to the outermost ticks; `wholeNumbers` (counts such as epochs)
    /// keeps a linear axis's ticks on integers.
    init(
        covering values: [Double], scale: AxisScale, targetTickCount: Int = 5, nice: Bool = true,
        wholeNumbers: Bool = false
    ) {
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        var lower = usable.min() ?? (scale == .linear ? 0 : 0.1)
        var upper = usable.max() ?? (scale == .linear ? 1 : 1)
        if lower == upper {
            switch scale {
            case .linear:
                let spread = lower == 0 || wholeNumbers ? 1 : abs(lower) * 0.1
                (lower, upper) = (lower - spread, upper + spread)
            case .logarithmic: (lower, upper) = (lower / 2, upper * 2)
            }
        }
        self.init(
            lower: lower, upper: upper, scale: scale, targetTickCount: targetTickCount, nice: nice,
            wholeNumbers: wholeNumbers)
    }

    /// An axis from `lower` to `upper` (`lower < upper`).
    init(
        lower: Double, upper: Double, scale: AxisScale, targetTickCount: Int = 5, nice: Bool = true,
        wholeNumbers: Bool = false
    ) {
        precondition(lower < upper, "an axis needs lower < upper, not \(lower)…\(upper)")
        precondition(scale == .linear || lower > 0, "a logarithmic axis needs positive values")
        let count = max(1, targetTickCount)
        self.scale = scale
        switch scale {
        case .linear:
            let linear = Self.linearTicks(
                lower: lower, upper: upper, count: count, nice: nice, wholeNumbers: wholeNumbers)
            (self.lower, self.upper, ticks, fractionDigits) = (linear.lower, linear.upper, linear.ticks, linear.digits)
            minorTicks = []
        case .logarithmic:
            let logarithmic = Self.logarithmicTicks(lower: lower, upper: upper, count: count, nice: nice)
            (self.lower, self.upper) = (logarithmic.lower, logarithmic.upper)
            (ticks, minorTicks, fractionDigits) = (logarithmic.ticks, logarithmic.minor, logarithmic.digits)
        }
    }

    /// Where `value` lies: 0 at `lower`, 1 at `upper` (outside for values beyond the domain).
    func fraction(of value: Double) -> Double {
        switch scale {
        case .linear: (value - lower) / (upper - lower)
        case .logarithmic: (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// Whether `value` can be placed on the axis at all.
    func canPlace(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// A tick's label: on linear ticks as many decimals as the step needs (`0.0`, `0.2`, …), on
    /// logarithmic ones as many as the tick itself needs (`0.01`, `0.1`, `1`).
    func label(_ tick: Double) -> String {
        if let fractionDigits { return NumberFormatting.fixed(tick, fractionDigits: fractionDigits) }
        if scale == .logarithmic, tick >= 1e-4, tick < 1e7 {
            return NumberFormatting.fixed(tick, fractionDigits: max(0, -Int(floor(log10(tick) + 1e-9))))
        }
        // Log ticks are 1, 2 or 5 × 10ⁿ: `5e-06`, as a swept value of λ is written, not `5.00e-06`.
        if scale == .logarithmic { return String(format: "%g", tick) }
        return NumberFormatting.significant(tick, digits: 3)
    }

    // MARK: Linear ticks

    /// The step (1, 2 or 5 × 10ⁿ) giving about `count` ticks over `lower…upper`, and its exponent n.
    private static func increment(lower: Double, upper: Double, count: Int) -> (
        step: Double, factor: Double, power: Int
    ) {
        let raw = (upper - lower) / Double(count)
        let power = Int(floor(log10(raw)))
        let error = raw / pow(10, Double(power))
        let factor: Double =
            error >= 50.0.squareRoot() ? 10 : error >= 10.0.squareRoot() ? 5 : error >= 2.0.squareRoot() ? 2 : 1
        let step = factor * pow(10, Double(power))
        if factor == 10 { return (step, 1, power + 1) }
        return (step, factor, power)
    }

    /// `index × step`, computed as `index / (1/step)` for small steps so `3 × 0.1` is `0.3`.
    private static func multiple(_ index: Double, factor: Double, power: Int) -> Double {
        power < 0 ? index / (pow(10, Double(-power)) / factor) : index * factor * pow(10, Double(power))
    }

    private static func linearTicks(lower: Double, upper: Double, count: Int, nice: Bool, wholeNumbers: Bool)
        -> (lower: Double, upper: Double, ticks: [Double], digits: Int?)
    {
        var (lower, upper) = (lower, upper)
        // Counts step by 1 at least: no tick at epoch 1.2.
        func step(lower: Double, upper: Double) -> (step: Double, factor: Double, power: Int) {
            let increment = Self.increment(lower: lower, upper: upper, count: count)
            return wholeNumbers && increment.step < 1 ? (1, 1, 0) : increment
        }
        var increment = step(lower: lower, upper: upper)
        if nice {
            // Widening can change the step; D3 iterates until it settles.
            for _ in 0..<10 {
                let widenedLower = multiple(
                    floor(lower / increment.step), factor: increment.factor, power: increment.power)
                let widenedUpper = multiple(
                    ceil(upper / increment.step), factor: increment.factor, power: increment.power)
                (lower, upper) = (widenedLower, widenedUpper)
                let next = step(lower: lower, upper: upper)
                if next.step == increment.step { break }
                increment = next
            }
        }
        let first = ceil(lower / increment.step - 1e-9)
        let last = floor(upper / increment.step + 1e-9)
        var ticks: [Double] = []
        if first <= last {
            for index in stride(from: first, through: last, by: 1) {
                ticks.append(multiple(index, factor: increment.factor, power: increment.power))
            }
        }
        let largest = max(abs(lower), abs(upper))
        let digits: Int? = largest >= 1e7 || increment.step < 1e-4 ? nil : max(0, -increment.power)
        return (lower, upper, ticks, digits)
    }

    // MARK: Logarithmic ticks

    /// Values `mantissa × 10ⁿ` for every mantissa and every n whose decade meets `lower…upper`.
    private static func grid(_ mantissas: [Double], lower: Double, upper: Double) -> [Double] {
        let first = Int(floor(log10(lower))) - 1
        let last = Int(ceil(log10(upper))) + 1
        var values: [Double] = []
        for power in first...last {
            for mantissa in mantissas {
                // Exact decimals: 0.2 rather than 2 × 0.1 = 0.20000000000000004.
                values.append(power < 0 ? mantissa / pow(10, Double(-power)) : mantissa * pow(10, Double(power)))
            }
        }
        return values
    }

    private static func logarithmicTicks(lower: Double, upper: Double, count: Int, nice: Bool)
        -> (lower: Double, upper: Double, ticks: [Double], minor: [Double], digits: Int?)
    {
        let tolerance = 1e-9
        func inside(_ values: [Double], _ lower: Double, _ upper: Double) -> [Double] {
            values.filter { $0 >= lower * (1 - tolerance) && $0 <= upper * (1 + tolerance) }
        }
        for mantissas in [[1.0], [1.0, 2, 5]] {
            let grid = grid(mantissas, lower: lower, upper: upper)
            guard
                inside(grid, lower, upper).count >= 3 || (mantissas.count > 1 && inside(grid, lower, upper).count >= 2)
            else { continue }
            var (niceLower, niceUpper) = (lower, upper)
            if nice {
                niceLower = grid.last { $0 <= lower * (1 + tolerance) } ?? lower
                niceUpper = grid.first { $0 >= upper * (1 - tolerance) } ?? upper
            }
            var ticks = inside(grid, niceLower, niceUpper)
            // Many decades: label every second or third power so labels do not collide.
            let thinning = max(1, Int((Double(ticks.count) / Double(max(count, 2) + 2)).rounded(.up)))
            if thinning > 1 { ticks = ticks.enumerated().filter { $0.offset % thinning == 0 }.map(\.element) }
            let minor =
                mantissas.count == 1 && ticks.count <= 8
                ? inside(Self.grid([2, 3, 4, 5, 6, 7, 8, 9], lower: niceLower, upper: niceUpper), niceLower, niceUpper)
                : []
            return (niceLower, niceUpper, ticks, minor, nil)
        }
        // Less than a factor of two or so: linear ticks, placed logarithmically, inside the data's range.
        let linear = linearTicks(lower: lower, upper: upper, count: count, nice: nice, wholeNumbers: false)
        if linear.lower > 0 { return (linear.lower, linear.upper, linear.ticks, [], linear.digits) }
        return (lower, upper, linear.ticks.filter { $0 >= lower && $0 <= upper }, [], linear.digits)
    }
}
