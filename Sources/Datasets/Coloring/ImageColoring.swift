/// How the grey images of an `ImageSet` are shown in colour: each pixel of colour `c` is
/// `grey × c / 255` (rounded), so the background (0) stays black and the stroke takes the colour.
public enum ImageColoring: Hashable, Sendable {
    /// One colour per image, in the order of the set's images.
    case perImage([RGBColor])
    /// One colour per label: `colors[label]`.
    case perLabel([RGBColor])
}
