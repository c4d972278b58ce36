import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import PCSC
import SimulatorHarness
import Station
import Testing

/// Counts its calls and answers with a token per read, as the registry's linker answers with a link.
actor CountingRecorder: ReadoutRecorder {
    private(set) var calls = 0

    func record(_ readout: CardReadout, context: ReadoutContext) async throws -> String? {
        calls += 1
        return "event-\(calls)@\(context.card.reader)"
    }
}

/// The station loop through pcscd and both vpcd readers. Serialised: the virtual slots are shared.
@Suite(.serialized)
struct StationReadoutTests {
    static let readers = ReaderSelection.list(VirtualReader.names)
    static let slot0 = ReaderSelection.matching(VirtualReader.names[0])

    static func options(_ trust: TrustStore, timeout: Duration? = .seconds(30)) -> StationOptions {
        StationOptions(trust: trust, readTimeout: timeout, now: { VirtualSlots.now })
    }

    /// Runs `readouts` in a task, collecting outcomes, while `body` presents cards.
    static func collecting<R: ReadoutRecorder>(
        _ station: CardStation<R>, readers: ReaderSelection = readers, key: AccessKeySource,
        _ body: @escaping @Sendable (Locked<[ReadOutcome<R.Record>]>) async throws -> Void
    ) async throws -> [ReadOutcome<R.Record>] {
        let outcomes = Locked<[ReadOutcome<R.Record>]>([])
        let consumer = Task {
            for try await o in station.readouts(readers: readers, key: key) { outcomes.withLock { $0.append(o) } }
        }
        defer { consumer.cancel() }
        try await body(outcomes)
        return outcomes.current
    }

    /// A batch of `limit` results on both readers (a card already in slot 0), with `next` put in
    /// slot 1 once it runs: its outcomes when it has ended by itself (30 s at most).
    static func batch<R: ReadoutRecorder>(_ station: CardStation<R>, key: AccessKeySource, limit: Int,
                                          thenPresent next: SimulatedChip) async throws -> [ReadOutcome<R.Record>] {
        let consumer = Task {
            var seen = [ReadOutcome<R.Record>]()
            for try await o in station.readouts(readers: readers, key: key, limit: limit) { seen.append(o) }
            return seen
        }
        return try await VirtualSlots.present(next, slot: 1) { try await VirtualSlots.value(of: consumer, within: .seconds(30)) }
    }

    static func describe<R>(_ outcomes: [ReadOutcome<R>]) -> String {
        outcomes.map { "\($0.card.reader): \($0.error.map { "\($0.code) \($0.message)" } ?? "\($0.readout?.verdict.rawValue ?? "-")")" }
            .joined(separator: "; ")
    }

    @Test func twoReadersAtOnceOneGoodOneFailingAndTheSequenceGoesOn() async throws {
        let good = try SimulatedChip(profile: .sample)
        var otherProfile = CardProfile.sample
        otherProfile.can = "654321"
        let wrongCAN = try SimulatedChip(profile: otherProfile)
        let recorder = CountingRecorder()
        let station = CardStation(options: Self.options(try VirtualSlots.trust(for: good)), recorder: recorder)
        try await VirtualSlots.withBoth {
            let outcomes = try await Self.collecting(station, key: .can(good.card.can)) { outcomes in
                try await VirtualSlots.present(good, slot: 0) {
                    try await VirtualSlots.present(wrongCAN, slot: 1) {
                        try await VirtualSlots.until { outcomes.current.count >= 2 }
                    }
                    // The sequence goes on: a good card in the reader that failed.
                    try await VirtualSlots.present(try SimulatedChip(profile: .sample), slot: 1) {
                        try await VirtualSlots.until { outcomes.current.count >= 3 }
                    }
                }
            }
            #expect(outcomes.count == 3, "\(Self.describe(outcomes))")
            let first = outcomes.prefix(2)
            let ok = try #require(first.first { $0.card.reader == VirtualReader.names[0] })
            let failed = try #require(first.first { $0.card.reader == VirtualReader.names[1] })
            #expect(ok.error == nil)
            #expect(ok.readout?.verdict == .genuine)
            #expect(ok.record == "event-1@\(VirtualReader.names[0])" || ok.record == "event-2@\(VirtualReader.names[0])")
            #expect(failed.error?.code == .accessDenied)
            #expect(failed.readout == nil && failed.record == nil)
            let third = outcomes[2]
            #expect(third.card.reader == VirtualReader.names[1])
            #expect(third.readout?.verdict == .genuine)
            #expect(third.record != nil)
            // Once per successful read, never for the failed one.
            #expect(await recorder.calls == 2)
        }
    }

    /// A batch of N cards (`limit`) starts N reads and ends when each has its outcome: a slower
    /// read on another reader is never cut short, and a card arriving past the limit is not read.
    @Test func aLimitedRunFinishesTheReadsItStartedAndEndsByItself() async throws {
        var faults = CardFaults()
        faults.latencyMilliseconds = 15
        let slow = try SimulatedChip(profile: .sample, faults: faults)
        let fast = try SimulatedChip(profile: .sample)
        let recorder = CountingRecorder()
        let station = CardStation(options: Self.options(try VirtualSlots.trust(for: slow)), recorder: recorder)
        try await VirtualSlots.withBoth {
            try await VirtualSlots.present(slow, slot: 0) {
                // The slow read is under way; the fast card arrives past the limit.
                let outcomes = try await Self.batch(station, key: .can(slow.card.can), limit: 1, thenPresent: fast)
                #expect(outcomes.count == 1, "\(Self.describe(outcomes))")
                #expect(outcomes.first?.card.reader == VirtualReader.names[0] && outcomes.first?.readout?.verdict == .genuine)
            }
            #expect(await recorder.calls == 1)
        }
    }

    /// A card arriving while the batch's last place is taken waits; when that read errs, the
    /// waiting card is read — the batch never stalls with a card left unread.
    @Test func aCardWaitingForTheBatchIsReadWhenAnotherErs() async throws {
        var faults = CardFaults()
        faults.latencyMilliseconds = 200
        var otherProfile = CardProfile.sample
        otherProfile.can = "654321"
        let slowWrongCAN = try SimulatedChip(profile: otherProfile, faults: faults)
        let good = try SimulatedChip(profile: .sample)
        let station = CardStation(options: Self.options(try VirtualSlots.trust(for: good)), recorder: CountingRecorder())
        try await VirtualSlots.withBoth {
            try await VirtualSlots.present(slowWrongCAN, slot: 0) {
                let outcomes = try await Self.batch(station, key: .can(good.card.can), limit: 1, thenPresent: good)
                #expect(outcomes.map(\.card.reader) == VirtualReader.names, "\(Self.describe(outcomes))")
                #expect(outcomes.first?.error?.code == .accessDenied && outcomes.last?.readout?.verdict == .genuine)
            }
        }
    }

    @Test func aCardPulledMidReadIsAnOutcomeAndTheSequenceGoesOn() async throws {
        var faults = CardFaults()
        faults.removeAfterAPDUs = 12
        let pulled = try SimulatedChip(profile: .sample, faults: faults)
        let good = try SimulatedChip(profile: .sample)
        let station = CardStation(options: Self.options(try VirtualSlots.trust(for: good)))
        try await VirtualSlots.with(slots: [0]) {
            let outcomes = try await Self.collecting(station, readers: Self.slot0, key: .can(good.card.can)) { outcomes in
                try await VirtualSlots.present(pulled, slot: 0) {
                    try await VirtualSlots.until { outcomes.current.count >= 1 }
                }
                try await VirtualSlots.present(good, slot: 0) {
                    try await VirtualSlots.until { outcomes.current.count >= 2 }
                }
            }
            #expect(outcomes.count == 2, "\(Self.describe(outcomes))")
            let codes: Set<StationError.Code> = [.cardRemoved, .noCard, .communication]
            #expect(outcomes[0].error.map { codes.contains($0.code) } == true, "\(String(describing: outcomes[0].error))")
            #expect(outcomes[0].readout == nil)
            #expect(outcomes[1].readout?.verdict == .genuine, "\(Self.describe(outcomes))")
        }
    }

    @Test func aSlowCardTimesOut() async throws {
        var faults = CardFaults()
        faults.latencyMilliseconds = 100
        let slow = try SimulatedChip(profile: .sample, faults: faults)
        let station = CardStation(options: Self.options(try VirtualSlots.trust(for: slow), timeout: .milliseconds(800)))
        try await VirtualSlots.with(slots: [0]) {
            let outcomes = try await Self.collecting(station, readers: Self.slot0, key: .can(slow.card.can)) { outcomes in
                try await VirtualSlots.present(slow, slot: 0) {
                    try await VirtualSlots.until { outcomes.current.count >= 1 }
                }
            }
            let o = try #require(outcomes.first)
            #expect(o.error?.code == .timeout)
            #expect(o.readout == nil)
            // Stopped at the next APDU boundary, not at the end of the read (~30 APDUs × 100 ms).
            #expect(o.duration < .seconds(2), "\(o.duration)")
        }
    }

    @Test func cancellingEndsTheSequencePromptlyWithoutAResult() async throws {
        var faults = CardFaults()
        faults.latencyMilliseconds = 150
        let slow = try SimulatedChip(profile: .sample, faults: faults)
        let station = CardStation(options: Self.options(try VirtualSlots.trust(for: slow)))
        try await VirtualSlots.with(slots: [0]) {
            try await VirtualSlots.present(slow, slot: 0) {
                let seen = Locked<[String]>([])
                let consumer = Task {
                    for try await event in station.events(readers: Self.slot0, key: .can(slow.card.can)) {
                        switch event {
                        case .progress: seen.withLock { $0.append("progress") }
                        case .outcome: seen.withLock { $0.append("outcome") }
                        default: break
                        }
                    }
                }
                try await VirtualSlots.until { seen.current.contains("progress") }
                let cancelledAt = ContinuousClock.now
                consumer.cancel()
                try await consumer.value
                #expect(ContinuousClock.now - cancelledAt < .milliseconds(500))
                // Let the abandoned read wind down: it must not surface as a result.
                try await Task.sleep(for: .milliseconds(500))
                #expect(!seen.current.contains("outcome"))
            }
            // The reader is free again: a new iteration reads the next card.
            try await PCSCContext.waitUntilEmpty(reader: VirtualReader.names[0], timeout: .seconds(5))
            let good = try SimulatedChip(profile: .sample)
            let outcomes = try await Self.collecting(station, readers: Self.slot0, key: .can(good.card.can)) { outcomes in
                try await VirtualSlots.present(good, slot: 0) {
                    try await VirtualSlots.until { outcomes.current.count >= 1 }
                }
            }
            #expect(outcomes.first?.readout?.verdict == .genuine, "\(Self.describe(outcomes))")
        }
    }

    @Test func readerAndCardEventsForAReadersPanel() async throws {
        let good = try SimulatedChip(profile: .sample)
        let station = CardStation(options: Self.options(try VirtualSlots.trust(for: good)))
        try await VirtualSlots.with(slots: [0]) {
            let seen = Locked<[String]>([])
            let consumer = Task {
                for try await event in station.events(readers: .matching(VirtualReader.names[0]), key: .can(good.card.can)) {
                    switch event {
                    case .readerAdded(let r): seen.withLock { $0.append("added \(r)") }
                    case .cardInserted(let c): seen.withLock { $0.append("inserted \(c.reader)") }
                    case .cardRemoved(let r): seen.withLock { $0.append("removed \(r)") }
                    case .outcome(let o): seen.withLock { $0.append("outcome \(o.card.reader)") }
                    default: break
                    }
                }
            }
            defer { consumer.cancel() }
            let r = VirtualReader.names[0]
            try await VirtualSlots.until { seen.current.contains("added \(r)") }
            try await VirtualSlots.present(good, slot: 0) {
                try await VirtualSlots.until { seen.current.contains("outcome \(r)") }
            }
            try await VirtualSlots.until { seen.current.contains("removed \(r)") }
            #expect(seen.current == ["added \(r)", "inserted \(r)", "outcome \(r)", "removed \(r)"])
        }
    }
}

/// Leaving the loop stops the station: no card presented afterwards is touched.
@Suite(.serialized)
struct StationStopTests {
    @Test func leavingTheLoopStopsReading() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let station = CardStation(options: StationReadoutTests.options(try VirtualSlots.trust(for: chip)))
        let asked = Locked(0)
        let can = chip.card.can
        let key = AccessKeySource.resolver { _ in
            asked.withLock { $0 += 1 }
            return .can(can)
        }
        try await VirtualSlots.with(slots: [0]) {
            try await VirtualSlots.present(chip, slot: 0) {
                for try await outcome in station.readouts(readers: StationReadoutTests.slot0, key: key).prefix(1) {
                    #expect(outcome.readout?.verdict == .genuine)
                }
            }
            try await VirtualSlots.present(try SimulatedChip(profile: .sample), slot: 0) {
                try await Task.sleep(for: .seconds(1))
            }
        }
        #expect(asked.current == 1)
    }
}
