import Registry

/// One event on the wire: its canonical payload, byte for byte, and the hash over it. Every
/// other field (id, device, seq, previous hash, kind…) is read from the payload, so nothing
/// on the wire can disagree with what the hash covers.
public struct WireEvent: Sendable, Hashable, Codable {
    public var payload: String
    public var hash: String

    public init(payload: String, hash: String) {
        self.payload = payload
        self.hash = hash
    }

    public init(_ e: ReadEvent) {
        self.init(payload: e.payload, hash: e.hash)
    }
}

/// `POST /v1/events`: consecutive events of one device's chain, in sequence order.
public struct EventBatch: Sendable, Hashable, Codable {
    public var device: String
    public var events: [WireEvent]

    public init(device: String, events: [WireEvent]) {
        self.device = device
        self.events = events
    }
}

/// The answer to a batch: one receipt per event (`stored` or `duplicate`, and any conflict the
/// central records raised), and the centre's head of the device's chain after the batch.
public struct BatchReceipt: Sendable, Hashable, Codable {
    public var device: String
    public var head: ChainHead?
    public var receipts: [OutboxReceipt]

    public init(device: String, head: ChainHead?, receipts: [OutboxReceipt]) {
        self.device = device
        self.head = head
        self.receipts = receipts
    }
}

/// `GET /v1/device`.
public struct DeviceInfo: Sendable, Hashable, Codable {
    public var device: String
    public var team: String
    /// The province whose status updates the device pulls (all provinces if nil).
    public var province: String?
    public var head: ChainHead?

    public init(device: String, team: String, province: String?, head: ChainHead?) {
        self.device = device
        self.team = team
        self.province = province
        self.head = head
    }
}

/// `GET /v1/status-updates`: updates after the cursor asked for, in feed order; `cursor` is the
/// next `after` (the last update's, or the one asked for when empty); `more` if the page was full.
public struct StatusUpdatePage: Sendable, Hashable, Codable {
    public var updates: [StatusUpdate]
    public var cursor: Int64
    public var more: Bool

    public init(updates: [StatusUpdate], cursor: Int64, more: Bool) {
        self.updates = updates
        self.cursor = cursor
        self.more = more
    }
}
