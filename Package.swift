// swift-tools-version: 6.1
import PackageDescription

/// The layers, bottom up. Each target only imports the ones below it; see README.md.
let package = Package(
    name: "swift-cccd",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ISO7816", targets: ["ISO7816"]),
        .library(name: "MRTDCrypto", targets: ["MRTDCrypto"]),
        .library(name: "PCSC", targets: ["PCSC"]),
        .library(name: "MRTD", targets: ["MRTD"]),
        .library(name: "CCCD", targets: ["CCCD"]),
        .library(name: "CardSimulator", targets: ["CardSimulator"]),
        .library(name: "Registry", targets: ["Registry"]),
        .library(name: "RegistrySQLite", targets: ["RegistrySQLite"]),
        .library(name: "RegistryPostgres", targets: ["RegistryPostgres"]),
        .library(name: "Station", targets: ["Station"]),
        .library(name: "Console", targets: ["Console"]),
        .library(name: "SyncProtocol", targets: ["SyncProtocol"]),
        .library(name: "SyncServer", targets: ["SyncServer"]),
        .library(name: "SyncClient", targets: ["SyncClient"]),
        .executable(name: "cccd", targets: ["cccd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        // The station console and the central sync service (Hummingbird; swift-configuration support is not needed).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.60.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        // Hummingbird's own service runner: the console shuts its server down gracefully.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        // Layer 1: PC/SC
        pcscSystemLibrary,
        .target(name: "PCSC", dependencies: ["CPCSC", "ISO7816", .product(name: "Logging", package: "swift-log")]),
        // Layer 2: ISO 7816-4
        .target(name: "ISO7816"),
        // Layer 3: the one crypto facade (only module that sees OpenSSL or swift-crypto)
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .target(name: "MRTDCrypto", dependencies: [
            "COpenSSL",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .target(name: "MRTD", dependencies: [
            "ISO7816", "MRTDCrypto",
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Layer 4: the Vietnamese card
        .target(name: "CCCD", dependencies: ["MRTD", "ISO7816", "MRTDCrypto"]),
        // Layer 5: the library API a station application builds on (readouts over many readers).
        .target(name: "Station", dependencies: ["PCSC", "CCCD", "MRTD", "ISO7816", "MRTDCrypto", "Registry"]),
        // Layer 6: the simulated card and the vpcd bridge
        .target(name: "CardSimulator", dependencies: [
            "ISO7816", "MRTDCrypto", "MRTD", "CCCD",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Test and demo harness: simulated cards in the vpcd virtual readers.
        .target(name: "SimulatorHarness", dependencies: ["CardSimulator", "PCSC", "ISO7816"]),
        // The domain: citizens, cards, VNeID accounts, read events (no storage code), and its stores.
        .target(name: "Registry", dependencies: ["CCCD", "MRTD", "MRTDCrypto", "ISO7816"]),
        .target(name: "RegistrySQLite", dependencies: ["Registry", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "RegistryPostgres", dependencies: [
            "Registry",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The station console: a Hummingbird server on the station's machine serving one page (issue #12).
        .target(name: "Console", dependencies: [
            "Station", "Registry", "CCCD", "MRTD", "MRTDCrypto", "PCSC", "ISO7816",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Exactly-once sync: the wire types (no NIO), the central service (Hummingbird) and the device's client.
        .target(name: "SyncProtocol", dependencies: ["Registry"]),
        .target(name: "SyncServer", dependencies: [
            "SyncProtocol", "Registry", "RegistryPostgres",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SyncClient", dependencies: [
            "SyncProtocol", "Registry",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Layer 7: the command-line tool
        .executableTarget(name: "cccd", dependencies: [
            "PCSC", "ISO7816", "MRTD", "CCCD", "Station", "CardSimulator", "SimulatorHarness",
            "Registry", "RegistrySQLite", "RegistryPostgres", "Console", "SyncProtocol", "SyncServer", "SyncClient",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Running the built `cccd` from tests (one-shot and long-running), free ports, a lock.
        .target(name: "CCCDTestSupport", path: "Tests/CCCDTestSupport"),
        .testTarget(name: "ISO7816Tests", dependencies: ["ISO7816"]),
        .testTarget(name: "MRTDCryptoTests", dependencies: ["MRTDCrypto"]),
        .testTarget(name: "MRTDTests", dependencies: ["MRTD", "MRTDCrypto", "ISO7816"]),
        .testTarget(name: "CCCDTests", dependencies: ["CCCD", "MRTD", "ISO7816"]),
        .testTarget(name: "PCSCTests", dependencies: ["PCSC", "ISO7816", "CardSimulator", "SimulatorHarness"]),
        .testTarget(name: "EndToEndTests", dependencies: ["PCSC", "ISO7816", "MRTD", "CCCD", "CardSimulator", "SimulatorHarness"]),
        .testTarget(name: "CardSimulatorTests", dependencies: ["CardSimulator", "MRTD", "MRTDCrypto", "CCCD", "ISO7816"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "RegistrySQLite", "RegistryPostgres", "CCCD", "MRTD"]),
        .testTarget(name: "RegistryEndToEndTests", dependencies: ["CCCDTestSupport", "cccd", "Registry", "RegistrySQLite", .product(name: "GRDB", package: "GRDB.swift"), "PCSC", "ISO7816", "CardSimulator", "SimulatorHarness", "MRTD", "CCCD"]),
        .testTarget(name: "StationTests", dependencies: ["Station", "PCSC", "ISO7816", "MRTD", "CCCD", "CardSimulator", "SimulatorHarness"]),
        .testTarget(name: "ConsoleTests", dependencies: ["CCCDTestSupport", 
            "Console", "cccd", "Station", "Registry", "CCCD", "MRTD", "PCSC", "ISO7816", "CardSimulator", "SimulatorHarness",
        ]),
        .testTarget(name: "SyncTests", dependencies: ["CCCDTestSupport", 
            "cccd", "SyncProtocol", "SyncServer", "SyncClient", "Registry", "RegistrySQLite", "RegistryPostgres",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["CCCDTestSupport", "cccd", "PCSC", "ISO7816", "CardSimulator", "SimulatorHarness", "MRTD", "CCCD"]),
        .testTarget(name: "FieldWorkflowTests", dependencies: ["CCCDTestSupport", 
            "cccd", "Station", "Registry", "RegistrySQLite", "RegistryPostgres", "PCSC", "ISO7816",
            "CardSimulator", "SimulatorHarness", "MRTD", "CCCD",
        ]),
    ],
    swiftLanguageModes: [.v6]
)

/// pcsc-lite on Linux (pkg-config `libpcsclite`); Apple's PCSC framework on macOS.
/// Both module maps expose the same `CPCSC` module with the same shim.
var pcscSystemLibrary: Target {
    #if os(macOS)
    return .systemLibrary(name: "CPCSC", path: "Sources/CPCSC/macOS")
    #else
    return .systemLibrary(
        name: "CPCSC", path: "Sources/CPCSC/linux", pkgConfig: "libpcsclite",
        providers: [.apt(["libpcsclite-dev", "pcscd"])])
    #endif
}
