import Foundation
import MRTDCrypto

/// What an event records, before a store places it in its device's chain.
public struct EventDraft: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A card read linked to the registry.
        case read
        /// A re-imported record that changed.
        case `import`
        /// An import file's summary.
        case importFile
        case cardStatus
        case vneidStatus
        case seed
        /// A VNeID application taken by an officer (level 2: after a genuine read of the citizen's card).
        case vneidApplication
    }

    public var id: String
    public var at: Date
    public var kind: Kind
    public var idNumber: String?
    public var station: String?
    public var team: String?
    public var `operator`: String?
    /// Kind-specific content (never photo, CAN, MRZ or keys).
    public var body: [String: JSONValue]

    public init(id: String = UUIDv7.make(), at: Date, kind: Kind, idNumber: String? = nil, station: String? = nil, team: String? = nil,
                operator: String? = nil, body: [String: JSONValue] = [:]) {
        self.id = id
        self.at = at
        self.kind = kind
        self.idNumber = idNumber
        self.station = station
        self.team = team
        self.operator = `operator`
        self.body = body
    }
}

/// An appended event: the draft placed at `seq` in its device's chain.
///
/// `payload` is the canonical JSON (see `JSONValue.canonical`) of every field but `hash`:
/// `{"at","body","device","id","idNumber","kind","operator","previousHash","seq","station","team"}`;
/// `hash` = lower-case hex SHA-256 of the payload's UTF-8 bytes; `previousHash` is the hash of
/// event `seq - 1` of the same device, or 64 zeros for the first. Stores keep `payload` as text,
/// byte for byte, plus columns for the fields they index.
public struct ReadEvent: Sendable, Hashable {
    public static let genesis = String(repeating: "0", count: 64)

    public var id: String
    public var device: String
    public var seq: Int
    public var at: String
    public var kind: EventDraft.Kind
    public var idNumber: String?
    public var station: String?
    public var team: String?
    public var payload: String
    public var previousHash: String
    public var hash: String

    public init(id: String, device: String, seq: Int, at: String, kind: EventDraft.Kind, idNumber: String?, station: String?,
                team: String?, payload: String, previousHash: String, hash: String) {
        self.id = id
        self.device = device
        self.seq = seq
        self.at = at
        self.kind = kind
        self.idNumber = idNumber
        self.station = station
        self.team = team
        self.payload = payload
        self.previousHash = previousHash
        self.hash = hash
    }

    /// Seals a draft after the device's chain head (`previous`: nil for the first event).
    public static func seal(_ d: EventDraft, device: String, after previous: (seq: Int, hash: String)?) -> ReadEvent {
        let seq = (previous?.seq ?? 0) + 1
        let prev = previous?.hash ?? genesis
        let at = ISODate.timestamp(d.at)
        let payload = JSONValue.object([
            "id": .string(d.id), "device": .string(device), "seq": .int(seq), "at": .string(at), "kind": .string(d.kind.rawValue),
            "idNumber": .optional(d.idNumber), "station": .optional(d.station), "team": .optional(d.team),
            "operator": .optional(d.operator), "body": .object(d.body), "previousHash": .string(prev),
        ]).canonical
        return ReadEvent(id: d.id, device: device, seq: seq, at: at, kind: d.kind, idNumber: d.idNumber, station: d.station, team: d.team,
                         payload: payload, previousHash: prev, hash: hashOf(payload))
    }

    public static func hashOf(_ payload: String) -> String {
        Hex.string(HashAlgorithm.sha256.hash(Array(payload.utf8)))
    }

    /// The decoded payload.
    public var content: JSONValue? { try? JSONValue(parsing: payload) }
}
