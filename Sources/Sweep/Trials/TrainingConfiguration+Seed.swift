// The seed in a configuration's canonical JSON: the last key, so that a grid point's trials share everything
// before it (`TrainingConfiguration.canonicalJSON(_:seed:)` makes one from the other).

import Training

extension TrainingConfiguration {
    /// `{…,"seed":42}` as `{…,"seed":` and 42; nil when the text does not end that way.
    public static func splitSeed(_ text: String) -> (prefix: Substring, seed: UInt64)? {
        let utf8 = text.utf8
        guard utf8.last == UInt8(ascii: "}") else { return nil }
        var digitsStart = utf8.index(before: utf8.endIndex)
        while digitsStart > utf8.startIndex {
            let previous = utf8.index(before: digitsStart)
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[previous]) else { break }
            digitsStart = previous
        }
        let marker = #""seed":"#.utf8
        guard utf8.distance(from: utf8.startIndex, to: digitsStart) > marker.count,
            utf8[utf8.index(digitsStart, offsetBy: -marker.count)..<digitsStart].elementsEqual(marker),
            let seed = UInt64(Substring(utf8[digitsStart..<utf8.index(before: utf8.endIndex)]))
        else { return nil }
        return (Substring(utf8[utf8.startIndex..<digitsStart]), seed)
    }
}
