import Datasets

/// Which data to train on and how to split it.
public struct DataConfiguration: Hashable, Sendable {
    /// A dataset name from the catalog, e.g. `mnist` or `fashion-mnist`.
    public var name: String = "fashion-mnist"
    /// How many of the *last* training images are held out for validation.
    public var validationCount: Int = 10_000
    /// Train on only the first this-many of the remaining training images (`nil` = all).
    public var trainingLimit: Int?
    /// Evaluate on only the first this-many validation and test images (`nil` = all).
    public var evaluationLimit: Int?

    public init(name: String = "fashion-mnist", validationCount: Int = 10_000, trainingLimit: Int? = nil, evaluationLimit: Int? = nil) {
        self.name = name
        self.validationCount = validationCount
        self.trainingLimit = trainingLimit
        self.evaluationLimit = evaluationLimit
    }

    /// Every problem of these settings, each naming its key.
    public var validationProblems: [String] {
        var problems: [String] = []
        if validationCount < 1 { problems.append("data.validation_count: must be ≥ 1, got \(validationCount)") }
        if let limit = trainingLimit, limit < 1 { problems.append("data.training_limit: must be ≥ 1, got \(limit)") }
        if let limit = evaluationLimit, limit < 1 { problems.append("data.evaluation_limit: must be ≥ 1, got \(limit)") }
        return problems
    }
}

extension DataConfiguration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case validationCount = "validation_count"
        case trainingLimit = "training_limit"
        case evaluationLimit = "evaluation_limit"
    }

    public init(from decoder: any Decoder) throws {
        // `data: mnist` is short for `data: {name: mnist}`.
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            self.init(name: name)
            return
        }
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DataConfiguration()
        self.init(
            name: try container.decodeIfPresent(String.self, forKey: .name) ?? defaults.name,
            validationCount: try container.decodeIfPresent(Int.self, forKey: .validationCount) ?? defaults.validationCount,
            trainingLimit: try container.decodeIfPresent(Int.self, forKey: .trainingLimit),
            evaluationLimit: try container.decodeIfPresent(Int.self, forKey: .evaluationLimit))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(validationCount, forKey: .validationCount)
        try container.encodeIfPresent(trainingLimit, forKey: .trainingLimit)
        try container.encodeIfPresent(evaluationLimit, forKey: .evaluationLimit)
    }
}
