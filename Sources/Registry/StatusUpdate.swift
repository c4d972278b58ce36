import Foundation

/// A status decided at the centre (an officer's `card set-status` or `vneid set-status` on the
/// central store), served to devices after a cursor. A device applies it to its copy through the
/// same checked transitions, without a chain event of its own: the fact is the centre's event
/// (`eventId`), so it is never echoed back as a new one.
public struct StatusUpdate: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case cardStatus, vneidStatus
    }

    /// Position in the centre's feed; the device's next pull starts after it.
    public var cursor: Int64
    public var eventId: String
    public var kind: Kind
    public var idNumber: String
    public var at: String
    /// New status: a `CardStatus` for `cardStatus`, a `VNeIDStatus` for `vneidStatus`.
    public var to: String
    /// `cardStatus`: which card.
    public var dateOfIssue: String?
    public var level: Int?
    public var reason: String?

    public init(cursor: Int64, eventId: String, kind: Kind, idNumber: String, at: String, to: String, dateOfIssue: String? = nil,
                level: Int? = nil, reason: String? = nil) {
        self.cursor = cursor
        self.eventId = eventId
        self.kind = kind
        self.idNumber = idNumber
        self.at = at
        self.to = to
        self.dateOfIssue = dateOfIssue
        self.level = level
        self.reason = reason
    }

    /// What the device did with an update.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// The local record now has the centre's status.
        case applied
        /// The citizen (or card) is not in this store (outside the team's extract).
        case notInStore
        /// The local state does not allow the transition (kept as is; the centre's event id is recorded).
        case conflict
        /// Already applied (a page fetched twice after an interrupted pull).
        case alreadyApplied
    }

    /// The update read from a central event (`cardStatus` / `vneidStatus` payload), nil for other kinds.
    public static func from(event e: ReadEvent, cursor: Int64) -> StatusUpdate? {
        guard let id = e.idNumber, let body = e.content?["body"], let to = body["to"]?.stringValue else { return nil }
        switch e.kind {
        case .cardStatus:
            guard let d = body["dateOfIssue"]?.stringValue else { return nil }
            return StatusUpdate(cursor: cursor, eventId: e.id, kind: .cardStatus, idNumber: id, at: e.at, to: to, dateOfIssue: d)
        case .vneidStatus:
            return StatusUpdate(cursor: cursor, eventId: e.id, kind: .vneidStatus, idNumber: id, at: e.at, to: to,
                                level: body["level"]?.intValue, reason: body["reason"]?.stringValue)
        default:
            return nil
        }
    }

    /// The rows this update changes in `snapshot` (checked transitions and derived rules; the
    /// mutation carries no event). Throws `RegistryError` when the local state forbids it.
    /// `origin`: `.centreFeed` for the centre's updates applied on a device, `.deviceEvent` for a
    /// device's event applied at the centre (`ChangeOrigin`).
    public func mutation(_ snapshot: Snapshot, now: Date, origin: ChangeOrigin) throws -> Mutation {
        let context = ReadContext(device: "centre")
        var m: Mutation
        switch kind {
        case .cardStatus:
            guard let status = CardStatus(rawValue: to), let d = dateOfIssue else { throw RegistryError.invalidRecord("bad card status update") }
            m = try StatusChanges.setCard(snapshot, idNumber: idNumber, dateOfIssue: d, to: status, source: .officer, context: context, now: now,
                                          origin: origin)
        case .vneidStatus:
            guard let status = VNeIDStatus(rawValue: to) else { throw RegistryError.invalidRecord("bad VNeID status update") }
            var why: LockReason?
            if let reason {
                guard let r = LockReason(rawValue: reason) else { throw RegistryError.invalidRecord("bad lock reason in update") }
                why = r
            }
            m = try StatusChanges.setAccount(snapshot, idNumber: idNumber, to: status, level: level, reason: why, source: .officer,
                                             context: context, now: now)
        }
        m.events = []
        return m
    }
}
