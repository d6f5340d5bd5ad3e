// Moving rows into and out of the space of the kept components, through BLAS (`cblas_sgemm`).

import Training

extension PrincipalComponents {
    /// The coordinates of each row along the kept components, `(rows − mean) · Vᵀ`, where `rows` is
    /// `[count × dimension]`, `V` is `components` and the result is `[count × componentCount]`.
    ///
    /// Throws `.shapeMismatch` if `rows` is not whole rows of `dimension` values.
    public func project(_ rows: [Float]) throws(AnalysisError) -> [Float] {
        let count = try rowCount(of: rows, what: "rows to project", width: dimension)
        let centred = Self.centre(rows, mean: mean)
        var projections = [Float](repeating: 0, count: count * componentCount)
        centred.withUnsafeBufferPointer { centred in
            components.withUnsafeBufferPointer { components in
                projections.withUnsafeMutableBufferPointer { projections in
                    BLAS.multiply(
                        centred, transposeA: false, components, transposeB: true, into: projections,
                        m: count, n: componentCount, k: dimension)
                }
            }
        }
        return projections
    }

    /// The rows whose coordinates along the kept components are `projections`,
    /// `[count × componentCount]`: `mean + projections · V`, `[count × dimension]`.
    ///
    /// Throws `.shapeMismatch` if `projections` is not whole rows of `componentCount` values.
    public func reconstruct(projections: [Float]) throws(AnalysisError) -> [Float] {
        let count = try rowCount(of: projections, what: "projections", width: componentCount)
        var rows = [Float](repeating: 0, count: count * dimension)
        rows.withUnsafeMutableBufferPointer { rows in
            for start in stride(from: 0, to: rows.count, by: dimension) {
                for column in 0..<dimension { rows[start + column] = mean[column] }
            }
            projections.withUnsafeBufferPointer { projections in
                components.withUnsafeBufferPointer { components in
                    BLAS.multiply(
                        projections, transposeA: false, components, transposeB: false, into: rows,
                        m: count, n: dimension, k: componentCount, beta: 1)
                }
            }
        }
        return rows
    }

    /// Each row of `rows`, `[count × dimension]`, with everything outside the kept components
    /// removed: `mean + (rows − mean) · Vᵀ · V`, `[count × dimension]`.
    ///
    /// Throws `.shapeMismatch` if `rows` is not whole rows of `dimension` values.
    public func reconstruct(_ rows: [Float]) throws(AnalysisError) -> [Float] {
        try reconstruct(projections: project(rows))
    }

    private func rowCount(of values: [Float], what: String, width: Int) throws(AnalysisError) -> Int {
        guard values.count % width == 0 else {
            throw .shapeMismatch(what: what, valueCount: values.count, dimension: width)
        }
        return values.count / width
    }
}
