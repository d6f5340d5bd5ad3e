import Testing

@testable import Training

@Suite("Adam with coupled weight decay")
struct AdamTests {
    @Test func firstTwoStepsMatchHandComputation() {
        // θ = 1, gradient 0.5 at both steps, lr 0.1, weight decay 0.1:
        // step 1: g = 0.5 + 0.1·1 = 0.6, m = 0.06, v = 0.00036,
        //         θ −= (0.1 / 0.1) · 0.06 / (√0.00036 / √0.001 + 1e-8) = 0.1  →  θ = 0.9
        // step 2: g = 0.5 + 0.09 = 0.59, m = 0.9·0.06 + 0.1·0.59 = 0.113,
        //         v = 0.999·0.00036 + 0.001·0.3481 = 0.00070774,
        //         θ −= (0.1 / 0.19) · 0.113 / (√0.00070774 / √0.001999 + 1e-8)
        let parameter = Parameter(name: "θ", shape: [1], value: [1])
        let adam = Adam(
            parameters: [parameter],
            configuration: AdamConfiguration(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1))
        parameter.gradient = [0.5]
        adam.step()
        #expect(abs(parameter.value[0] - 0.9) < 1e-6)
        parameter.gradient = [0.5]
        adam.step()
        let expected = 0.9 - (0.1 / 0.19) * 0.113 / ((0.00070774).squareRoot() / (0.001999).squareRoot() + 1e-8)
        #expect(abs(Double(parameter.value[0]) - expected) < 1e-6)
        #expect(adam.stepCount == 2)
    }

    @Test func convergesOnAQuadratic() {
        // Minimise Σ (θᵢ − cᵢ)² from zero; without weight decay the minimum is c exactly.
        let target: [Float] = [3, -2, 0.5, 10]
        let parameter = Parameter(name: "θ", shape: [4], value: [0, 0, 0, 0])
        let adam = Adam(parameters: [parameter], configuration: AdamConfiguration(learningRate: 0.1, weightDecay: 0))
        for _ in 0..<2000 {
            parameter.gradient = zip(parameter.value, target).map { 2 * ($0 - $1) }
            adam.step()
        }
        for (value, goal) in zip(parameter.value, target) { #expect(abs(value - goal) < 1e-3) }
    }

    @Test func weightDecayPullsTheMinimumTowardsZero() {
        // With decay w the gradient is 2(θ − c) + wθ, which vanishes at θ = 2c / (2 + w).
        let parameter = Parameter(name: "θ", shape: [1], value: [0])
        let adam = Adam(parameters: [parameter], configuration: AdamConfiguration(learningRate: 0.05, weightDecay: 1))
        for _ in 0..<4000 {
            parameter.gradient = [2 * (parameter.value[0] - 3)]
            adam.step()
        }
        #expect(abs(parameter.value[0] - 2) < 1e-2)
    }
}
