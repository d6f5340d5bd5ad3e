import ArgumentParser
import Training

extension ModelConfiguration.CodeActivation: ExpressibleByArgument {}
extension ReconstructionLoss: ExpressibleByArgument {}
