// swift-tools-version:6.0
import Foundation
import PackageDescription

// Benchmarks live apart from the product so the test suite stays fast.
// Run through scripts/bench-blas. A path dependency is named after its
// folder, so the repository's folder name is read here.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "stance-benchmarks",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "blas-bench", dependencies: [.product(name: "StanceKit", package: root)]),
    ],
    swiftLanguageModes: [.v5]
)
