/// What the field workflows need from a store beyond `RegistryStore`: an issuing station's queue
/// of printed cards, paging through a province's citizens for a team extract, and the store's own
/// key-value metadata (`store_meta`: where an extract came from and when).
///
/// Kept apart from `RegistryStore` so the link path's protocol stays as small as it is; every
/// store of this package (SQLite, PostgreSQL, in-memory) implements both.
public protocol FieldWorkflowStore: RegistryStore {
    /// Cards in `status` that hold a CAN, the least recently changed first (for `printed`: the
    /// printing order), at most `limit`.
    func cardsWithCAN(status: CardStatus, limit: Int) async throws -> [Card]

    /// ID numbers of citizens starting with `prefix`, greater than `after`, ascending, at most `limit`.
    func citizenIDs(prefix: String, after: String?, limit: Int) async throws -> [String]

    /// Every `store_meta` entry.
    func metadata() async throws -> [String: String]

    /// Sets (inserts or replaces) these `store_meta` entries in one transaction.
    func setMetadata(_ entries: [String: String]) async throws
}

/// The `store_meta` keys this package writes. Values are plain text; more keys may be added.
public enum StoreMetaKey {
    /// `"extract"` for a team extract (absent for an ordinary store).
    public static let kind = "kind"
    /// The store the extract was copied from (a PostgreSQL URL without its password, or a path).
    public static let origin = "origin"
    /// The filter, e.g. `province=035` or `province=035;district=Huyện Thanh Liêm`.
    public static let filter = "filter"
    /// When the extract was taken (ISO 8601 timestamp, UTC).
    public static let extractedAt = "extractedAt"
    /// How many citizens, cards and accounts it holds (decimal text).
    public static let citizens = "citizens", cards = "cards", accounts = "accounts"
}
