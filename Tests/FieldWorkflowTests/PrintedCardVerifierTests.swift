import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import Registry
import Station
import Testing

/// `PrintedCardVerifier` over in-process simulated cards, on every store: which record a card
/// belongs to, verified with evidence, reprint with reasons, and what each writes.
struct PrintedCardVerifierTests {
    static let station = "Phủ Lý 1"

    static func verifier(_ store: any FieldWorkflowStore, trust: TrustStore, max: Int = 16) -> PrintedCardVerifier {
        PrintedCardVerifier(store: store, station: station, device: "station-test", options: StationOptions(trust: trust), maxCandidates: max)
    }

    static func verify(_ v: PrintedCardVerifier, _ chip: SimulatedChip) async -> PrintedCardOutcome {
        await v.verify(channel: InProcessChannel(card: chip), card: PresentedCard(reader: "in-process", atr: chip.atr))
    }

    @Test(arguments: StoreKind.testable) func genuineCardIsVerifiedWithItsEvidence(kind: StoreKind) async throws {
        let store = try await kind.store()
        let a = Fixtures.record("035099000101"), b = Fixtures.record("035099000102")
        // b was printed first: its CAN is tried first and fails (one PACE), then a's opens the card.
        _ = try await store.bulkInsert(Fixtures.printed(b, can: "222222", printedAt: 1).followed(a, can: "111111", printedAt: 2), device: "import")
        let chip = try Fixtures.chip(a, can: "111111")
        let out = await Self.verify(Self.verifier(store, trust: try Fixtures.trust([chip])), chip)
        #expect(out.outcome == .verified, "\(out.reasons) \(String(describing: out.error))")
        #expect(out.idNumber == a.idNumber && out.dateOfIssue == a.dateOfIssue && out.reasons.isEmpty)
        let card = try #require(try await store.snapshot(a.idNumber).cards.first)
        #expect(card.storedStatus == .verified && card.statusReasons.isEmpty)
        let evidence = try #require(card.chip)
        #expect(evidence.caKeySHA256 != nil && evidence.aaKeySHA256 != nil)
        #expect(try await store.snapshot(b.idNumber).cards.first?.storedStatus == .printed)
        // The read event (the evidence) and the status event naming it, on the station's chain.
        let events = try await store.recentEvents(idNumber: a.idNumber, limit: 10)
        let read = try #require(events.first { $0.kind == .read })
        #expect(read.id == out.eventId && read.station == Self.station)
        let status = try #require(events.first { $0.kind == .cardStatus })
        #expect(status.content?["body"]?["to"]?.stringValue == "verified" && status.content?["body"]?["evidenceEventId"]?.stringValue == out.eventId)
        #expect(try await store.verifyAudit().firstBreak == nil)
        // The JSON line has exactly the contract's keys.
        let line = try JSONSerialization.jsonObject(with: JSONEncoder().encode(out)) as? [String: Any]
        #expect(Set(line?.keys.map { $0 } ?? []) == ["reader", "idNumber", "outcome", "reasons", "eventId"])
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func forgedSignatureIsAReprintWithItsReasons(kind: StoreKind) async throws {
        let store = try await kind.store()
        let a = Fixtures.record("035099000201")
        _ = try await store.bulkInsert(Fixtures.printed(a, can: "333333", printedAt: 1), device: "import")
        var faults = CardFaults()
        faults.corruptSODSignature = true
        let chip = try Fixtures.chip(a, can: "333333", faults: faults)
        let out = await Self.verify(Self.verifier(store, trust: try Fixtures.trust([chip])), chip)
        #expect(out.outcome == .reprint)
        #expect(out.reasons.contains("sodSignatureInvalid"))
        let card = try #require(try await store.snapshot(a.idNumber).cards.first)
        #expect(card.storedStatus == .reprint && card.statusReasons == out.reasons && card.chip == nil)
        // A reprint leaves the queue: the next card is not tried against it.
        #expect(try await store.cardsWithCAN(status: .printed, limit: 10).isEmpty)
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func dataDifferingFromTheIssuanceRecordIsAReprint(kind: StoreKind) async throws {
        let store = try await kind.store()
        let a = Fixtures.record("035099000301")
        _ = try await store.bulkInsert(Fixtures.printed(a, can: "444444", printedAt: 1, residence: "Tổ 3, Phường Quang Trung, Thành phố Phủ Lý, Hà Nam"),
                                       device: "import")
        let chip = try Fixtures.chip(a, can: "444444")
        let out = await Self.verify(Self.verifier(store, trust: try Fixtures.trust([chip])), chip)
        #expect(out.outcome == .reprint && out.reasons == ["dataMismatch"])
        #expect(try await store.snapshot(a.idNumber).cards.first?.storedStatus == .reprint)
        try await store.close()
    }

    @Test func sharedCANIsToldApartByTheChipsOwnData() async throws {
        let store = InMemoryRegistryStore()
        let a = Fixtures.record("035099000401"), b = Fixtures.record("035099000402")
        _ = try await store.bulkInsert(Fixtures.printed(a, can: "555555", printedAt: 1).followed(b, can: "555555", printedAt: 2), device: "import")
        let chip = try Fixtures.chip(b, can: "555555")
        let out = await Self.verify(Self.verifier(store, trust: try Fixtures.trust([chip])), chip)
        #expect(out.outcome == .verified && out.idNumber == b.idNumber)
        #expect(try await store.snapshot(a.idNumber).cards.first?.storedStatus == .printed)
    }

    @Test func aCardNoPrintedCANOpensChangesNothing() async throws {
        let store = InMemoryRegistryStore()
        let a = Fixtures.record("035099000501")
        _ = try await store.bulkInsert(Fixtures.printed(a, can: "666666", printedAt: 1), device: "import")
        let stranger = try Fixtures.chip(Fixtures.record("035099000599"), can: "999999")
        let out = await Self.verify(Self.verifier(store, trust: try Fixtures.trust([stranger])), stranger)
        #expect(out.outcome == .error && out.error?.code == .accessDenied && out.eventId == nil)
        #expect(try await store.snapshot(a.idNumber).cards.first?.storedStatus == .printed)
        #expect(try await store.events(after: nil, limit: 10).isEmpty)
    }

    @Test func candidatesAreBoundedAndTriedInPrintingOrder() async throws {
        let store = InMemoryRegistryStore()
        var m = Mutation()
        for i in 0..<5 {
            m = m.followed(Fixtures.record("03509900060\(i)"), can: "70000\(i)", printedAt: Double(10 - i))
        }
        _ = try await store.bulkInsert(m, device: "import")
        let v = Self.verifier(store, trust: TrustStore(), max: 3)
        let keys = try await v.candidates().map(\.key)
        #expect(keys == [.can("700004"), .can("700003"), .can("700002")])
    }

    @Test func unreadableChipIsAReprintRecordedByItsStatusEvent() async throws {
        let s = Snapshot(citizen: Fixtures.citizen(Fixtures.record("035099000701")),
                         cards: [Card(idNumber: "035099000701", dateOfIssue: "2021-05-10", dateOfExpiry: "2039-02-01", status: .printed, can: "123456")])
        let (m, r) = try PrintedCardCheck.planUnreadable(idNumber: "035099000701", dateOfIssue: "2021-05-10", errorCode: "malformedCard", snapshot: s,
                                                         context: ReadContext(station: "S", device: "d"), now: Date())
        #expect(r.outcome == .reprint && r.reasons == ["unreadable", "malformedCard"] && r.eventId == m.events.first?.id)
        #expect(m.cards.first?.storedStatus == .reprint && m.cards.first?.statusReasons == r.reasons)
        #expect(throws: FieldWorkflowError(.wrongStatus, "")) {
            _ = try PrintedCardCheck.planUnreadable(idNumber: "035099000701", dateOfIssue: "2021-05-10", errorCode: "cardError",
                                                    snapshot: Snapshot(citizen: s.citizen, cards: m.cards), context: ReadContext(device: "d"), now: Date())
        }
    }

    @Test func reprintedCardReturnsToTheQueueWithoutTheOldEvidence() throws {
        var card = Card(idNumber: "035099000801", dateOfIssue: "2021-05-10", dateOfExpiry: nil, status: .reprint, can: "123456",
                        chip: ChipEvidence(sodSHA256: "ab"), statusReasons: ["chipKeyMismatch"])
        let s = Snapshot(citizen: Fixtures.citizen(Fixtures.record("035099000801")), cards: [card])
        let m = try StatusChanges.setCard(s, idNumber: card.idNumber, dateOfIssue: card.dateOfIssue, to: .printed, source: .officer,
                                          context: ReadContext(device: "d"), now: Date())
        card = try #require(m.cards.first)
        #expect(card.storedStatus == .printed && card.chip == nil && card.statusReasons.isEmpty)
        #expect(throws: RegistryError.illegalCardTransition(from: .reprint, to: .handedOver)) {
            try CardStatus.reprint.checkTransition(to: .handedOver)
        }
    }
}

extension Mutation {
    /// This mutation plus another printed card.
    func followed(_ r: CitizenRecord, can: String, printedAt: Double) -> Mutation {
        let next = Fixtures.printed(r, can: can, printedAt: printedAt)
        return Mutation(citizens: citizens + next.citizens, cards: cards + next.cards, accounts: accounts, events: events)
    }
}
