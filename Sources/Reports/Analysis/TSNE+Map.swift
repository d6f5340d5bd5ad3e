// The output side of t-SNE: the map being optimised, its gradient and its cost.

import Datasets
import Foundation

extension TSNE {
    /// The points of the map and the optimiser's state, in one buffer of ten `count`-long fields.
    struct Map {
        /// The fields of `storage`, each `[count]`.
        private enum Field: Int {
            case x, y, updateX, updateY, gainX, gainY, attractionX, attractionY, repulsionX, repulsionY
        }

        let count: Int
        private var storage: [Float]

        /// A map of `count` points drawn from N(0, (10⁻⁴)²) in both coordinates, with zero momentum
        /// and unit gains.
        init(count: Int, seed: UInt64) {
            self.count = count
            storage = [Float](repeating: 0, count: 10 * count)
            var generator = SeededGenerator(seed: seed)
            storage.withUnsafeMutableBufferPointer { storage in
                let positions = UnsafeMutableBufferPointer(rebasing: storage[0..<(2 * count)])
                generator.fillStandardNormal(positions)
                for index in positions.indices { positions[index] *= 1e-4 }
                let gains = Field.gainX.rawValue * count..<(Field.gainY.rawValue + 1) * count
                for index in gains { storage[index] = 1 }
            }
        }

        /// A map at `coordinates` (`[count × 2]`), with zero momentum and unit gains.
        init(coordinates: [Float]) {
            let count = coordinates.count / 2
            self.count = count
            storage = [Float](repeating: 0, count: 10 * count)
            for index in 0..<count {
                storage[Field.x.rawValue * count + index] = coordinates[2 * index]
                storage[Field.y.rawValue * count + index] = coordinates[2 * index + 1]
                storage[Field.gainX.rawValue * count + index] = 1
                storage[Field.gainY.rawValue * count + index] = 1
            }
        }

        /// The map, `[count × 2]`: `(x, y)` of each point.
        var coordinates: [Float] {
            (0..<(2 * count)).map { storage[($0 & 1) * count + $0 / 2] }
        }

        /// One step of gradient descent on `KL(exaggeration · P ‖ Q)` with momentum and gains, then
        /// re-centres the map. `affinities` are the packed joint probabilities (`jointProbabilities`).
        mutating func step(
            affinities: UnsafeBufferPointer<Float>, exaggeration: Float, momentum: Float, stepSize: Float
        ) {
            let count = count
            storage.withUnsafeMutableBufferPointer { storage in
                let base = storage.baseAddress!
                func field(_ field: Field) -> UnsafeMutablePointer<Float> { base + field.rawValue * count }
                let normalisation = Self.accumulateForces(
                    x: field(.x), y: field(.y), affinities: affinities, count: count,
                    attractionX: field(.attractionX), attractionY: field(.attractionY),
                    repulsionX: field(.repulsionX), repulsionY: field(.repulsionY))
                let inverseNormalisation = Float(1 / normalisation)
                for axis in 0..<2 {
                    let position = field(axis == 0 ? .x : .y)
                    let update = field(axis == 0 ? .updateX : .updateY)
                    let gain = field(axis == 0 ? .gainX : .gainY)
                    let attraction = field(axis == 0 ? .attractionX : .attractionY)
                    let repulsion = field(axis == 0 ? .repulsionX : .repulsionY)
                    var sum = 0.0
                    for index in 0..<count {
                        let gradient = Self.gradient(
                            attraction: attraction[index], repulsion: repulsion[index],
                            exaggeration: exaggeration, inverseNormalisation: inverseNormalisation)
                        let grown = (gradient > 0) != (update[index] > 0) ? gain[index] + 0.2 : gain[index] * 0.8
                        gain[index] = max(grown, 0.01)
                        update[index] = momentum * update[index] - stepSize * gain[index] * gradient
                        position[index] += update[index]
                        sum += Double(position[index])
                    }
                    let mean = Float(sum / Double(count))
                    for index in 0..<count { position[index] -= mean }
                }
            }
        }

        /// `∂KL(exaggeration · P ‖ Q) / ∂y`, `[count × 2]`, for the packed joint probabilities `affinities`.
        mutating func gradient(affinities: UnsafeBufferPointer<Float>, exaggeration: Float) -> [Float] {
            let count = count
            return storage.withUnsafeMutableBufferPointer { storage in
                let base = storage.baseAddress!
                func field(_ field: Field) -> UnsafeMutablePointer<Float> { base + field.rawValue * count }
                let normalisation = Self.accumulateForces(
                    x: field(.x), y: field(.y), affinities: affinities, count: count,
                    attractionX: field(.attractionX), attractionY: field(.attractionY),
                    repulsionX: field(.repulsionX), repulsionY: field(.repulsionY))
                let inverseNormalisation = Float(1 / normalisation)
                return (0..<(2 * count)).map { slot in
                    let axis = slot & 1, index = slot / 2
                    return Self.gradient(
                        attraction: field(axis == 0 ? .attractionX : .attractionY)[index],
                        repulsion: field(axis == 0 ? .repulsionX : .repulsionY)[index],
                        exaggeration: exaggeration, inverseNormalisation: inverseNormalisation)
                }
            }
        }

        /// `∂KL/∂yᵢ = 4 Σⱼ (pᵢⱼ − qᵢⱼ) wᵢⱼ (yᵢ − yⱼ) = 4 (attraction − repulsion / Z)` along one axis.
        @inline(__always)
        private static func gradient(
            attraction: Float, repulsion: Float, exaggeration: Float, inverseNormalisation: Float
        ) -> Float {
            4 * (exaggeration * attraction - repulsion * inverseNormalisation)
        }

        /// `KL(P ‖ Q)` in nats for the packed joint probabilities `affinities`: with `wᵢⱼ = 1 / (1 + ‖yᵢ − yⱼ‖²)`
        /// and `Z = Σᵢ≠ⱼ wᵢⱼ`, `Σᵢ≠ⱼ pᵢⱼ (log pᵢⱼ − log wᵢⱼ + log Z)`, skipping `pᵢⱼ = 0`.
        func klDivergence(affinities: UnsafeBufferPointer<Float>) -> Double {
            var normalisation = 0.0
            var cost = 0.0
            var slot = 0
            for row in 0..<count {
                let rowX = storage[row], rowY = storage[count + row]
                for column in (row + 1)..<max(count, row + 1) {
                    let dx = Double(rowX - storage[column]), dy = Double(rowY - storage[count + column])
                    let weight = 1 / (1 + dx * dx + dy * dy)
                    normalisation += weight
                    let probability = Double(affinities[slot])
                    if probability > 0 { cost += probability * (log(probability) - log(weight)) }
                    slot += 1
                }
            }
            // Each unordered pair stands for two ordered ones, and the packed probabilities sum to ½.
            return 2 * cost + log(2 * normalisation)
        }

        /// Fills the attraction `Σⱼ pᵢⱼ wᵢⱼ (yᵢ − yⱼ)` and repulsion `Σⱼ wᵢⱼ² (yᵢ − yⱼ)` of every point
        /// (each `[count]` per axis) and returns `Z = Σᵢ≠ⱼ wᵢⱼ`, where `wᵢⱼ = 1 / (1 + ‖yᵢ − yⱼ‖²)`.
        ///
        /// Visits each unordered pair once, adding its terms to `i` and subtracting them from `j`;
        /// the loop over `j` runs eight pairs at a time in `SIMD8` lanes.
        private static func accumulateForces(
            x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>,
            affinities: UnsafeBufferPointer<Float>, count: Int,
            attractionX: UnsafeMutablePointer<Float>, attractionY: UnsafeMutablePointer<Float>,
            repulsionX: UnsafeMutablePointer<Float>, repulsionY: UnsafeMutablePointer<Float>
        ) -> Double {
            attractionX.update(repeating: 0, count: count)
            attractionY.update(repeating: 0, count: count)
            repulsionX.update(repeating: 0, count: count)
            repulsionY.update(repeating: 0, count: count)
            var normalisation = 0.0
            var rowStart = affinities.baseAddress!
            for row in 0..<count {
                let rowX = x[row], rowY = y[row]
                let laneX = SIMD8(repeating: rowX), laneY = SIMD8(repeating: rowY)
                var pullX = SIMD8<Float>(), pullY = SIMD8<Float>()
                var pushX = SIMD8<Float>(), pushY = SIMD8<Float>()
                var weights = SIMD8<Float>()
                let probabilities = rowStart  // probabilities[column − row − 1] = p(row, column)
                var column = row + 1
                while column + 8 <= count {
                    let dx = laneX - load(x + column), dy = laneY - load(y + column)
                    let weight = 1 / (1 + dx * dx + dy * dy)
                    let attraction = load(probabilities + (column - row - 1)) * weight
                    let repulsion = weight * weight
                    let attractionDX = attraction * dx, attractionDY = attraction * dy
                    let repulsionDX = repulsion * dx, repulsionDY = repulsion * dy
                    pullX += attractionDX
                    pullY += attractionDY
                    pushX += repulsionDX
                    pushY += repulsionDY
                    weights += weight
                    store(load(attractionX + column) - attractionDX, at: attractionX + column)
                    store(load(attractionY + column) - attractionDY, at: attractionY + column)
                    store(load(repulsionX + column) - repulsionDX, at: repulsionX + column)
                    store(load(repulsionY + column) - repulsionDY, at: repulsionY + column)
                    column += 8
                }
                var tailWeights: Float = 0
                while column < count {
                    let dx = rowX - x[column], dy = rowY - y[column]
                    let weight = 1 / (1 + dx * dx + dy * dy)
                    let attraction = probabilities[column - row - 1] * weight
                    let repulsion = weight * weight
                    pullX[0] += attraction * dx
                    pullY[0] += attraction * dy
                    pushX[0] += repulsion * dx
                    pushY[0] += repulsion * dy
                    tailWeights += weight
                    attractionX[column] -= attraction * dx
                    attractionY[column] -= attraction * dy
                    repulsionX[column] -= repulsion * dx
                    repulsionY[column] -= repulsion * dy
                    column += 1
                }
                attractionX[row] += pullX.sum()
                attractionY[row] += pullY.sum()
                repulsionX[row] += pushX.sum()
                repulsionY[row] += pushY.sum()
                normalisation += Double(weights.sum() + tailWeights)
                rowStart += count - 1 - row
            }
            return 2 * normalisation
        }

        @inline(__always)
        private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
            UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
        }

        @inline(__always)
        private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
            UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
        }

        @inline(__always)
        private static func store(_ value: SIMD8<Float>, at pointer: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
        }
    }
}
