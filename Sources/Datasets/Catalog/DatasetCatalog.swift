// The datasets aesweep knows by name, with the checksums and mirrors of their files.

import Foundation

/// The built-in datasets.
public enum DatasetCatalog {
    /// The standard IDX file names shared by MNIST and Fashion-MNIST.
    private static func standardFiles(
        trainImagesMD5: String, trainLabelsMD5: String, testImagesMD5: String, testLabelsMD5: String
    ) -> [DatasetFile] {
        [
            DatasetFile(role: .trainImages, baseName: "train-images-idx3-ubyte", decompressedMD5: trainImagesMD5),
            DatasetFile(role: .trainLabels, baseName: "train-labels-idx1-ubyte", decompressedMD5: trainLabelsMD5),
            DatasetFile(role: .testImages, baseName: "t10k-images-idx3-ubyte", decompressedMD5: testImagesMD5),
            DatasetFile(role: .testLabels, baseName: "t10k-labels-idx1-ubyte", decompressedMD5: testLabelsMD5),
        ]
    }

    /// LeCun, Cortes and Burges' handwritten digits: 60,000 + 10,000 greyscale 28×28 images.
    public static let mnist = DatasetDescriptor(
        name: "mnist",
        shape: ImageShape(channels: 1, height: 28, width: 28),
        classNames: (0..<10).map(String.init),
        files: standardFiles(
            trainImagesMD5: "6bbc9ace898e44ae57da46a324031adb",
            trainLabelsMD5: "a25bea736e30d166cdddb491f175f624",
            testImagesMD5: "2646ac647ad5339dbf082846283269ea",
            testLabelsMD5: "27ae3e4e09519cfbb04c329615203637"),
        mirrors: [
            URL(string: "https://ossci-datasets.s3.amazonaws.com/mnist/")!,
            URL(string: "http://yann.lecun.com/exdb/mnist/")!,
        ]
    )

    /// Zalando's Fashion-MNIST: 60,000 + 10,000 greyscale 28×28 images of clothing.
    public static let fashionMNIST = DatasetDescriptor(
        name: "fashion-mnist",
        shape: ImageShape(channels: 1, height: 28, width: 28),
        classNames: [
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        ],
        files: standardFiles(
            trainImagesMD5: "f4a8712d7a061bf5bd6d2ca38dc4d50a",
            trainLabelsMD5: "9018921c3c673c538a1fc5bad174d6f9",
            testImagesMD5: "8181f5470baa50b63fa0f6fddb340f0a",
            testLabelsMD5: "15d484375f8d13e6eb1aabb0c3f46965"),
        mirrors: [
            URL(string: "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")!
        ]
    )

    /// Every built-in dataset, in the order listings show them.
    public static let all: [DatasetDescriptor] = [mnist, fashionMNIST]

    /// The names of every built-in dataset.
    public static var names: [String] { all.map(\.name) }

    /// The built-in dataset called `name`, or `.unknownDataset` listing the known names.
    public static func descriptor(named name: String) throws(DatasetError) -> DatasetDescriptor {
        guard let descriptor = all.first(where: { $0.name == name }) else {
            throw .unknownDataset(name: name, known: names)
        }
        return descriptor
    }
}
