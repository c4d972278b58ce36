import Foundation
import Registry
import Testing

/// The store side of the field workflows, on every store: the printing queue, paging a
/// province, `store_meta`, and the reasons column.
struct FieldStoreTests {
    @Test(arguments: StoreKind.testable) func queuePagingAndMetadata(kind: StoreKind) async throws {
        let store = try await kind.store()
        var m = Mutation()
        for (i, id) in ["035099003003", "035099003001", "001099003002", "035199003004"].enumerated() {
            m = m.followed(Fixtures.record(id), can: "80000\(i)", printedAt: Double(100 - i))
        }
        m.cards.append(Card(idNumber: "035099003001", dateOfIssue: "2016-01-01", dateOfExpiry: nil, status: .printed))
        m.cards.append(Card(idNumber: "035099003003", dateOfIssue: "2015-01-01", dateOfExpiry: nil, status: .handedOver, can: "999999"))
        _ = try await store.bulkInsert(m, device: "import")

        let queue = try await store.cardsWithCAN(status: .printed, limit: 10)
        #expect(queue.map(\.idNumber) == ["035199003004", "001099003002", "035099003001", "035099003003"])
        #expect(try await store.cardsWithCAN(status: .printed, limit: 2).count == 2)

        #expect(try await store.citizenIDs(prefix: "035", after: nil, limit: 10) == ["035099003001", "035099003003", "035199003004"])
        #expect(try await store.citizenIDs(prefix: "035", after: "035099003001", limit: 10) == ["035099003003", "035199003004"])
        #expect(try await store.citizenIDs(prefix: "001", after: nil, limit: 10) == ["001099003002"])
        #expect(try await store.citizenIDs(prefix: "035", after: nil, limit: 1) == ["035099003001"])
        #expect(try await store.citizenIDs(prefix: "0351", after: nil, limit: 10) == ["035199003004"])

        #expect(try await store.metadata().isEmpty)
        try await store.setMetadata(["kind": "extract", "filter": "province=035"])
        try await store.setMetadata(["filter": "province=001"])
        #expect(try await store.metadata() == ["kind": "extract", "filter": "province=001"])

        var card = try #require(queue.first)
        card.storedStatus = .reprint
        card.statusReasons = ["chipKeyMismatch", "dataMismatch"]
        let changed = card
        _ = try await store.transact(ids: [changed.idNumber], device: "d") { _ in (Mutation(cards: [changed]), ()) }
        #expect(try await store.snapshot(card.idNumber).cards.first?.statusReasons == ["chipKeyMismatch", "dataMismatch"])
        try await store.close()
    }
}
