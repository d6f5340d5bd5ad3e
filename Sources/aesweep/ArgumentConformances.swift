import ArgumentParser
import Datasets
import Training

extension ModelConfiguration.CodeActivation: ExpressibleByArgument {}
extension ReconstructionLoss: ExpressibleByArgument {}
extension ModelConfiguration.Family: ExpressibleByArgument {}
extension ModelConfiguration.Backbone: ExpressibleByArgument {}
extension ModelConfiguration.Condition: ExpressibleByArgument {}
extension DatasetOptions.Colors: ExpressibleByArgument {}
