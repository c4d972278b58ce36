// swift-tools-version: 6.1
// The benchmarks of swift-cccd: a package of its own so that `swift build` and CI of the root
// package never build them. Run them with `Benchmarks/run.sh` (see README.md).
import Foundation
import PackageDescription

/// The root package is found by path; its identity is its directory's name, whatever the clone is called.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
let rootIdentity = root.lastPathComponent

let benchmarkDependencies: [Target.Dependency] = [
    "BenchSupport",
    .product(name: "Benchmark", package: "benchmark"),
]

let package = Package(
    name: "swift-cccd-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: root.path),
        // The malloc interposer gives allocation counts on Swift 6.3; the runtime interposer
        // (ARC counts) is left out: it is not in the package mirror.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.0.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "BenchSupport", dependencies: [
            .product(name: "ISO7816", package: rootIdentity),
            .product(name: "MRTDCrypto", package: rootIdentity),
            .product(name: "MRTD", package: rootIdentity),
            .product(name: "CCCD", package: rootIdentity),
            .product(name: "CardSimulator", package: rootIdentity),
            .product(name: "PCSC", package: rootIdentity),
            .product(name: "Registry", package: rootIdentity),
            .product(name: "RegistrySQLite", package: rootIdentity),
            .product(name: "RegistryPostgres", package: rootIdentity),
        ]),
        .executableTarget(
            name: "ReaderStack", dependencies: benchmarkDependencies, path: "Benchmarks/ReaderStack",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "RegistryBenchmarks", dependencies: benchmarkDependencies, path: "Benchmarks/RegistryBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "EndToEnd", dependencies: benchmarkDependencies, path: "Benchmarks/EndToEnd",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ],
    swiftLanguageModes: [.v6]
)
