/// The configurations evaluated on one corruption, ranked among themselves: the unit within which seeds
/// are compared when a sweep varies its corruption.
public struct CorruptionTable: Codable, Sendable, Hashable {
    public var setting: CorruptionSetting
    /// What ranks them: the sweep's metric, or its `withinSettingFallback` when the setting has no value
    /// for it (the PSNR under `noise.kind: none` for a sweep ranked by gain).
    public var metric: RankingMetric
    /// Best first, each compared with the first over seeds.
    public var configurations: [RankedConfiguration]

    public init(setting: CorruptionSetting, metric: RankingMetric, configurations: [RankedConfiguration]) {
        self.setting = setting
        self.metric = metric
        self.configurations = configurations
    }

    public var best: RankedConfiguration? { configurations.first }
}
