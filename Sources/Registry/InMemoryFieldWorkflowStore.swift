import Foundation
import ISO7816

extension InMemoryRegistryStore: FieldWorkflowStore {
    public func cardsWithCAN(status: CardStatus, limit: Int) async throws -> [Card] {
        state.withLock { s in
            let cards = s.cards.values.joined().filter { $0.storedStatus == status && $0.can != nil }
            return Array(cards.sorted { ($0.updatedAt, $0.idNumber, $0.dateOfIssue) < ($1.updatedAt, $1.idNumber, $1.dateOfIssue) }.prefix(max(0, limit)))
        }
    }

    public func citizenIDs(prefix: String, after: String?, limit: Int) async throws -> [String] {
        state.withLock { s in
            Array(s.citizens.keys.filter { id in id.hasPrefix(prefix) && after.map { id > $0 } ?? true }.sorted().prefix(max(0, limit)))
        }
    }

    public func metadata() async throws -> [String: String] { state.withLock { $0.meta } }

    public func setMetadata(_ entries: [String: String]) async throws {
        state.withLock { s in s.meta.merge(entries) { _, new in new } }
    }
}
