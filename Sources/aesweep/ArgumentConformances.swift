import ArgumentParser
import Dashboard
import Datasets
import Reports
import Training

extension ModelConfiguration.CodeActivation: ExpressibleByArgument {}
extension ReconstructionLoss: ExpressibleByArgument {}
extension ModelConfiguration.Family: ExpressibleByArgument {}
extension ModelConfiguration.Backbone: ExpressibleByArgument {}
extension ModelConfiguration.Condition: ExpressibleByArgument {}
extension DatasetOptions.Colors: ExpressibleByArgument {}

extension ReportOptions.BaselineComponents: ExpressibleByArgument {
    /// `30`, or `auto` for the model's code size.
    public init?(argument: String) {
        if argument == "auto" {
            self = .codeSize
        } else if let count = Int(argument), count >= 1 {
            self = .count(count)
        } else {
            return nil
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .count(let count): String(count)
        case .codeSize: "auto"
        }
    }
}

extension DashboardAddress: ExpressibleByArgument {
    /// `HOST:PORT`, `:PORT` or `[IPv6]:PORT`.
    public init?(argument: String) {
        self.init(argument)
    }
}
