// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "aesweep",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "aesweep", targets: ["aesweep"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Datasets", targets: ["Datasets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C bridges: nothing but a module map and a shim header each.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // Data: IDX files, the MNIST family, corruptions.
        .target(
            name: "Datasets",
            dependencies: [
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The shared training core.
        .target(
            name: "Training",
            dependencies: [
                "Datasets",
                "CBLAS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The command-line face.
        .executableTarget(
            name: "aesweep",
            dependencies: [
                "Datasets",
                "Training",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        .target(
            name: "TestSupport",
            dependencies: ["Datasets"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "DatasetsTests",
            dependencies: ["Datasets", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Datasets", "TestSupport"]),
        // Runs the real `aesweep` binary as a separate process.
        .testTarget(name: "CommandLineTests", dependencies: ["aesweep", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
