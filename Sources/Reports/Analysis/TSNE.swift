/// t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008) of row vectors into
/// the plane, computed exactly: O(n²) time and memory per iteration, about 3 s for 2,000 points.
///
/// The input affinities are Gaussian, each point's precision found by bisection so that its
/// conditional distribution has the requested perplexity; the map's are Student-t with one degree of
/// freedom. The optimiser is the reference implementation's: gradient descent with momentum 0.5 then
/// 0.8, per-coordinate gains (+0.2 when the gradient changes sign against the update, ×0.8 when not,
/// at least 0.01), early exaggeration of the input affinities, and re-centring after every step.
/// The optimisation runs on one thread in a fixed order, so a seed determines the result for a given
/// BLAS build and thread count (OpenBLAS's products, used for the input distances, round differently
/// with a different number of threads; `BLASRuntime.setThreadCount(1)` pins them).
public struct TSNE: Sendable {
    /// The optimiser's step size.
    public enum LearningRate: Sendable, Hashable {
        /// `max(n / earlyExaggeration / 4, 50)` for `n` points (Belkina et al. 2019, as in
        /// scikit-learn). Our gradient is the true one, with its factor 4, so this is the same step as
        /// `max(n / 12, 200)` in the reference and openTSNE, whose gradient omits that factor.
        case automatic
        /// A fixed step size for the true gradient (the reference's 200 is 50 here).
        case fixed(Float)
    }

    /// The effective number of neighbours each point's input distribution spreads over.
    public var perplexity: Double
    /// The number of gradient steps.
    public var iterations: Int
    /// The seed of the initial map.
    public var seed: UInt64
    /// The factor on the input affinities during the first `exaggerationIterations` steps.
    public var earlyExaggeration: Float
    /// The steps with exaggerated input affinities and momentum 0.5; momentum is 0.8 after them.
    public var exaggerationIterations: Int
    /// The step size.
    public var learningRate: LearningRate

    /// Creates an embedding with the reference settings: perplexity 30, 1,000 steps, exaggeration 12
    /// for the first 250.
    public init(
        perplexity: Double = 30, iterations: Int = 1000, seed: UInt64 = 0,
        earlyExaggeration: Float = 12, exaggerationIterations: Int = 250, learningRate: LearningRate = .automatic
    ) {
        precondition(perplexity >= 1, "perplexity below 1")
        precondition(iterations >= 0 && exaggerationIterations >= 0, "negative iteration count")
        self.perplexity = perplexity
        self.iterations = iterations
        self.seed = seed
        self.earlyExaggeration = earlyExaggeration
        self.exaggerationIterations = exaggerationIterations
        self.learningRate = learningRate
    }

    /// The perplexity actually used for `pointCount` points: at most `(pointCount − 1) / 3`, as the
    /// reference requires, and at least 1.
    public func effectivePerplexity(pointCount: Int) -> Double {
        max(1, min(perplexity, Double(pointCount - 1) / 3))
    }

    /// The step size for `pointCount` points.
    public func stepSize(pointCount: Int) -> Float {
        switch learningRate {
        case .automatic: max(Float(pointCount) / earlyExaggeration / 4, 50)
        case .fixed(let rate): rate
        }
    }

    /// Embeds `points`, `[pointCount × dimension]` row-major, in the plane.
    ///
    /// The input distances are Euclidean. Memory is about `6 · pointCount²` bytes at the peak
    /// (24 MB for 2,000 points); subsample larger sets first (`Subsampling`).
    ///
    /// Requires whole rows of finite values: callers holding a diverged model's codes check them first.
    public func embed(_ points: [Float], dimension: Int) -> Embedding {
        precondition(dimension > 0 && points.count % dimension == 0, "t-SNE points are not whole rows of \(dimension)")
        precondition(points.allSatisfy { $0.isFinite }, "t-SNE points hold a NaN or an infinity")
        let count = points.count / dimension
        let perplexity = effectivePerplexity(pointCount: count)
        guard count >= 2 else {
            return Embedding(coordinates: [Float](repeating: 0, count: 2 * count), klDivergence: 0, perplexity: perplexity)
        }
        let affinities = Self.jointProbabilities(
            Self.conditionalProbabilities(
                squaredDistances: Self.squaredDistances(points, count: count, dimension: dimension),
                count: count, perplexity: perplexity),
            count: count)
        var map = Map(count: count, seed: seed)
        let stepSize = stepSize(pointCount: count)
        affinities.withUnsafeBufferPointer { affinities in
            for iteration in 0..<iterations {
                let early = iteration < exaggerationIterations
                map.step(
                    affinities: affinities, exaggeration: early ? earlyExaggeration : 1,
                    momentum: early ? 0.5 : 0.8, stepSize: stepSize)
            }
        }
        let divergence = affinities.withUnsafeBufferPointer { map.klDivergence(affinities: $0) }
        return Embedding(coordinates: map.coordinates, klDivergence: divergence, perplexity: perplexity)
    }
}
