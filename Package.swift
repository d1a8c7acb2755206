// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "stance",
    products: [
        .library(name: "StanceKit", targets: ["StanceKit"]),
        .executable(name: "stance-train", targets: ["stance-train"]),
        .executable(name: "stance-classify", targets: ["stance-classify"]),
        .executable(name: "stance-eval", targets: ["stance-eval"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // System BLAS/LAPACK (OpenBLAS on Debian when libopenblas0-pthread is installed).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .target(name: "StanceKit", dependencies: ["CBLAS", .product(name: "CSV", package: "CSV.swift")]),
        // The shipped default model, embedded in the executables' binary with .incbin.
        .target(name: "DefaultModel", cSettings: [.headerSearchPath("../../Models")]),
        .executableTarget(name: "stance-train", dependencies: [
            "StanceKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "stance-classify", dependencies: [
            "StanceKit", "DefaultModel", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "stance-eval", dependencies: [
            "StanceKit", "DefaultModel", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "StanceKitTests", dependencies: ["StanceKit", "DefaultModel"]),
    ],
    swiftLanguageModes: [.v5]
)
