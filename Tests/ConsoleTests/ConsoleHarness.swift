import CardSimulator
import CCCD
@testable import Console
import Foundation
import MRTD
import PCSC
import Registry
import SimulatorHarness
import Station

/// The console under test: started in-process on 127.0.0.1 (a free port), watching the two vpcd
/// virtual readers, trusting the test PKI; simulated cards come and go in the readers while the
/// test holds both slot leases (briefly: other engineers' tests share them).
enum ConsoleHarness {
    static let token = "console-test-token-0123456789abcdef"

    static func configuration(trust: TrustStore, mode: ConsoleConfiguration.Mode = .desk, clearAfter: Int = 60,
                              store: (any RegistryStore)? = nil) -> ConsoleConfiguration {
        ConsoleConfiguration(host: "127.0.0.1", port: 0, readers: .list(VirtualReader.names), trust: trust, mode: mode,
                             clearAfter: clearAfter, store: store, device: "console-test", tokenHash: OperatorToken.hash(token))
    }

    struct Running: Sendable {
        let port: Int
        var url: String { "http://127.0.0.1:\(port)/" }
    }

    /// Runs the console for the duration of `body`, then stops it and waits until it has stopped.
    static func with<T: Sendable>(_ configuration: ConsoleConfiguration, _ body: (Running) async throws -> T) async throws -> T {
        let server = try ConsoleServer(configuration: configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run(onRunning: { _, port in continuation.yield(port) }) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw WebDriver.Failure(description: "the console did not start") }
        do {
            let value = try await body(Running(port: port))
            task.cancel()
            _ = try? await task.value
            return value
        } catch {
            task.cancel()
            _ = try? await task.value
            throw error
        }
    }

    /// A browser scenario: both vpcd slots leased, the console running with `configuration`, and a
    /// browser on its page once the page has connected.
    static func scenario(_ configuration: ConsoleConfiguration, _ body: (WebDriver, Running) async throws -> Void) async throws {
        try await Slots.withBoth {
            try await with(configuration) { console in
                try await withBrowser { driver in
                    try await driver.open(console.url)
                    try await driver.waitUntil("the page to connect", "return document.getElementById('connection').classList.contains('conn-ok');")
                    try await body(driver, console)
                }
            }
        }
    }

    /// A browser for the duration of `body` (quit however it ends).
    static func withBrowser<T: Sendable>(_ body: (WebDriver) async throws -> T) async throws -> T {
        let driver = try await WebDriver()
        do {
            let value = try await body(driver)
            await driver.quit()
            return value
        } catch {
            // The page as it was when the test failed, for a person to look at.
            _ = try? await driver.screenshot("failure-\(Int(Date().timeIntervalSince1970))")
            await driver.quit()
            throw error
        }
    }

    /// The test PKI's CSCA and CRL.
    static func trust(for chip: SimulatedChip) throws -> TrustStore {
        var store = TrustStore()
        store.add(try Certificate(der: chip.card.pki.cscaCertificate))
        store.add(try CRL(der: chip.card.pki.crl))
        return store
    }

    /// A second synthetic citizen (another name, ID number and CAN) on a card of the same test PKI.
    static func otherProfile() -> CardProfile {
        var citizen = CitizenRecord.sample
        citizen.idNumber = "035199004321"
        citizen.fullName = "Trần Thị Bích"
        citizen.sex = "F"
        citizen.dateOfBirth = "1995-07-14"
        citizen.oldIdNumber = nil
        var profile = CardProfile(citizen: citizen)
        profile.can = "246810"
        return profile
    }
}

/// Both vpcd slots, held together (never one while blocking on the other, so no deadlock with a
/// process holding the other slot), and cards put in and taken out of them.
enum Slots {
    static func withBoth<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await VirtualReader.withEmptySlots([0, 1], body)
    }

    /// A card in a slot (the lease must be held): started now, removed by `remove()`.
    final class Presented: @unchecked Sendable {
        let bridge: VPCDBridge
        let reader: String
        /// When the simulated card was put into vpcd.
        let insertedAt: ContinuousClock.Instant
        /// When pcscd reported it present: the moment a real reader reports a card placed on it
        /// (pcscd polls vpcd, so this comes a poll interval after `insertedAt`).
        private(set) var detectedAt: ContinuousClock.Instant

        init(_ chip: SimulatedChip, slot: Int) throws {
            reader = VirtualReader.names[slot]
            bridge = VPCDBridge(card: chip, slot: slot, beforeAnswer: chip.bridgeHook)
            insertedAt = .now
            detectedAt = insertedAt
            try bridge.start()
        }

        func waitUntilDetected() async throws {
            _ = try await PCSCContext.waitForCard(reader: reader, timeout: .seconds(5))
            detectedAt = .now
        }

        func remove() async throws {
            bridge.stop()
            try await PCSCContext.waitUntilEmpty(reader: reader, timeout: .seconds(5))
        }
    }

    /// Puts `chip` in `slot` for the duration of `body`, removing it afterwards however `body` ends.
    static func present<T: Sendable>(_ chip: SimulatedChip, slot: Int, _ body: (Presented) async throws -> T) async throws -> T {
        try await PCSCContext.waitUntilEmpty(reader: VirtualReader.names[slot], timeout: .seconds(5))
        let card = try Presented(chip, slot: slot)
        defer { card.bridge.stop() }
        try await card.waitUntilDetected()
        return try await body(card)
    }
}
