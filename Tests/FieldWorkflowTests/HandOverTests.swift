import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import Registry
import Station
import Testing

/// Handing over a verified card: only after a confirming read of the same chip.
struct HandOverTests {
    static let context = ReadContext(station: "Phủ Lý 1", device: "station-test")

    /// Verifies `chip` as a printed card of `r` in `store`.
    static func verified(_ store: any FieldWorkflowStore, _ r: CitizenRecord, chip: SimulatedChip, trust: TrustStore) async throws {
        _ = try await store.bulkInsert(Fixtures.printed(r, can: chip.card.can, printedAt: 1), device: "import")
        let v = PrintedCardVerifier(store: store, station: "Phủ Lý 1", device: "station-test", options: StationOptions(trust: trust))
        let out = await v.verify(channel: InProcessChannel(card: chip), card: PresentedCard(reader: "in-process", atr: chip.atr))
        #expect(out.outcome == .verified, "\(out.reasons)")
    }

    static func handOver(_ store: any FieldWorkflowStore, _ r: CitizenRecord, chip: SimulatedChip, trust: TrustStore) async throws -> HandOverCheck.Result {
        let readout = try await CardReader(options: .init(trust: trust)).read(channel: InProcessChannel(card: chip), key: .can(chip.card.can),
                                                                              reader: "in-process", atr: chip.atr)
        let (id, issued, now) = (r.idNumber, r.dateOfIssue, Date())
        let eventId = UUIDv7.make(at: now)
        return try await store.transact(ids: [id], device: context.device) { snaps in
            try HandOverCheck.plan(readout: readout, idNumber: id, dateOfIssue: issued, snapshot: snaps[id] ?? Snapshot(), context: context,
                                   eventId: eventId, now: now)
        }
    }

    @Test(arguments: StoreKind.testable) func sameChipIsHandedOverAnotherIsRefused(kind: StoreKind) async throws {
        let store = try await kind.store()
        let r = Fixtures.record("035099001001")
        let chip = try Fixtures.chip(r, can: "121212"), clone = try Fixtures.chip(r, can: "121212", seed: "another chip")
        let trust = try Fixtures.trust([chip, clone])
        try await Self.verified(store, r, chip: chip, trust: trust)
        // An older handed-over card and an account locked because it expired.
        _ = try await store.transact(ids: [r.idNumber], device: "import") { _ in
            (Mutation(cards: [Card(idNumber: r.idNumber, dateOfIssue: "2012-04-01", dateOfExpiry: "2025-03-02", status: .handedOver)],
                      accounts: [VNeIDAccount(idNumber: r.idNumber, status: .locked, level: 2, reason: .cardExpired)]), ())
        }

        let refused = try await Self.handOver(store, r, chip: clone, trust: trust)
        #expect(refused.refusal?.code == .differentChip)
        var snap = try await store.snapshot(r.idNumber)
        #expect(snap.cards.first { $0.dateOfIssue == r.dateOfIssue }?.storedStatus == .verified)
        // The refused read is recorded all the same.
        #expect(try await store.recentEvents(idNumber: r.idNumber, limit: 20).contains { $0.id == refused.link.eventId })

        let accepted = try await Self.handOver(store, r, chip: chip, trust: trust)
        #expect(accepted.refusal == nil && accepted.link.card?.chip == .sameChip)
        snap = try await store.snapshot(r.idNumber)
        #expect(snap.cards.first { $0.dateOfIssue == r.dateOfIssue }?.storedStatus == .handedOver)
        #expect(snap.cards.first { $0.dateOfIssue == "2012-04-01" }?.storedStatus == .replaced)
        #expect(snap.account?.status == .active && snap.account?.level == 2)
        let status = try #require(try await store.recentEvents(idNumber: r.idNumber, limit: 20).first {
            $0.kind == .cardStatus && $0.content?["body"]?["to"]?.stringValue == "handedOver"
        })
        #expect(status.content?["body"]?["evidenceEventId"]?.stringValue == accepted.link.eventId)
        #expect(try await store.verifyAudit().firstBreak == nil)
        try await store.close()
    }

    @Test func aCardNotVerifiedIsRefusedBeforeReading() async throws {
        let store = InMemoryRegistryStore()
        let r = Fixtures.record("035099001101")
        _ = try await store.bulkInsert(Fixtures.printed(r, can: "131313", printedAt: 1), device: "import")
        let chip = try Fixtures.chip(r, can: "131313")
        await #expect(throws: FieldWorkflowError(.wrongStatus, "")) {
            _ = try await Self.handOver(store, r, chip: chip, trust: try Fixtures.trust([chip]))
        }
        #expect(try await store.events(after: nil, limit: 10).isEmpty)
    }

    @Test func anotherCitizensCardIsTheWrongCard() async throws {
        let store = InMemoryRegistryStore()
        let r = Fixtures.record("035099001201"), other = Fixtures.record("035099001202")
        let chip = try Fixtures.chip(r, can: "141414"), otherChip = try Fixtures.chip(other, can: "141414")
        let trust = try Fixtures.trust([chip])
        try await Self.verified(store, r, chip: chip, trust: trust)
        let readout = try await CardReader(options: .init(trust: trust)).read(channel: InProcessChannel(card: otherChip), key: .can("141414"),
                                                                              reader: "in-process", atr: otherChip.atr)
        let s = try await store.snapshot(r.idNumber)
        let (_, result) = try HandOverCheck.plan(readout: readout, idNumber: r.idNumber, dateOfIssue: r.dateOfIssue, snapshot: s,
                                                 context: Self.context, eventId: UUIDv7.make(), now: Date())
        #expect(result.refusal?.code == .wrongCard)
    }
}
