extension TSNE {
    /// The result of `TSNE.embed`: the map and how well it fits.
    public struct Embedding: Sendable, Equatable {
        /// The map, `[pointCount × 2]` row-major: `(x, y)` of each input point, in input order,
        /// centred on the origin.
        public let coordinates: [Float]
        /// `KL(P ‖ Q) = Σᵢ≠ⱼ pᵢⱼ · log(pᵢⱼ / qᵢⱼ)` in nats between the input affinities `P` and the
        /// map's `Q` after the last step (without exaggeration): the cost t-SNE minimises.
        public let klDivergence: Double
        /// The perplexity the input affinities were calibrated to (see `TSNE.effectivePerplexity`).
        public let perplexity: Double

        /// The number of points mapped.
        public var pointCount: Int { coordinates.count / 2 }

        /// The position of point `index` in the map.
        public func point(_ index: Int) -> (x: Float, y: Float) {
            (coordinates[2 * index], coordinates[2 * index + 1])
        }
    }
}
