import Datasets
import Foundation

/// The corruption a configuration is evaluated on. Configurations on different corruptions face different
/// tasks (cleaning σ = 0.1 noise is not cleaning σ = 0.5 noise), so rankings compare them by their gain
/// over the noisy input, and seeds are compared only within one setting.
public struct CorruptionSetting: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public var corruption: Corruption

    public init(_ corruption: Corruption) {
        self.corruption = corruption
    }

    /// `gaussian(σ=0.5)`, `none`, `block-mask(8…14 px)`.
    public var description: String { corruption.summary }

    /// A file name for the setting's own files: `gaussian-sigma-0.5`, `none`, `salt-and-pepper-p-0.2`,
    /// `random-erasing-p-0.5`, `block-mask-8-14`.
    public var fileName: String {
        func number(_ value: Float) -> String { value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : String(value) }
        switch corruption {
        case .none: return "none"
        case .gaussian(let sigma, let clip): return "gaussian-sigma-\(number(sigma))" + (clip ? "" : "-unclipped")
        case .saltAndPepper(let probability): return "salt-and-pepper-p-\(number(probability))"
        case .randomErasing(let erasing):
            return "random-erasing-p-\(number(erasing.probability))-area-\(number(erasing.minimumArea))-\(number(erasing.maximumArea))"
        case .blockMask(let mask): return "block-mask-\(mask.minimumSize)-\(mask.maximumSize)"
        }
    }

    /// Kinds in the order `Corruption.Kind` lists them, then by their main parameter.
    public static func < (left: CorruptionSetting, right: CorruptionSetting) -> Bool {
        let kinds = Corruption.Kind.allCases
        let (leftKind, rightKind) = (kinds.firstIndex(of: left.corruption.kind)!, kinds.firstIndex(of: right.corruption.kind)!)
        if leftKind != rightKind { return leftKind < rightKind }
        return (left.strength, left.fileName) < (right.strength, right.fileName)
    }

    /// σ, p or the block's smallest side: what makes the task harder.
    private var strength: Float {
        switch corruption {
        case .none: 0
        case .gaussian(let sigma, _): sigma
        case .saltAndPepper(let probability): probability
        case .randomErasing(let erasing): erasing.probability
        case .blockMask(let mask): Float(mask.minimumSize)
        }
    }
}
