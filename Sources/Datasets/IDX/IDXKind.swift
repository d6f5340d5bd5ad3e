/// The two kinds of IDX file a labelled image dataset is made of, told apart by their magic number.
public enum IDXKind: Sendable, CustomStringConvertible {
    /// Unsigned bytes, three dimensions (count, rows, columns): magic `0x00000803`.
    case images
    /// Unsigned bytes, one dimension (count): magic `0x00000801`.
    case labels

    /// The big-endian number the file starts with.
    public var magic: UInt32 {
        switch self {
        case .images: 0x0000_0803
        case .labels: 0x0000_0801
        }
    }

    /// Number of 32-bit dimension sizes after the magic number.
    public var dimensionCount: Int {
        switch self {
        case .images: 3
        case .labels: 1
        }
    }

    /// Header size in bytes: the magic number and the dimension sizes.
    public var headerByteCount: Int { 4 * (1 + dimensionCount) }

    /// The kind whose magic number is `magic`, if any.
    public init?(magic: UInt32) {
        switch magic {
        case 0x0000_0803: self = .images
        case 0x0000_0801: self = .labels
        default: return nil
        }
    }

    /// `"images"` or `"labels"`.
    public var description: String {
        switch self {
        case .images: "images"
        case .labels: "labels"
        }
    }
}
