import Foundation

/// The status of a citizen's VNeID electronic-identification account (domain.md). No official
/// list exists: each status is evidence with a source and the time it was observed.
public enum VNeIDStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case notRegistered
    /// A level 1 or 2 dossier awaiting approval.
    case pending
    /// Approved, awaiting activation in the app (a frequent reason logins fail).
    case approved
    /// Activated, level 1 or 2.
    case active
    /// Locked, with a reason.
    case locked

    public var successors: Set<VNeIDStatus> {
        switch self {
        case .notRegistered: return [.pending, .approved]
        case .pending: return [.approved, .notRegistered, .locked]
        case .approved: return [.active, .locked, .pending]
        // A level-1 account's level-2 dossier (checked in `changed`: only level 1 → level 2).
        case .active: return [.locked, .pending]
        case .locked: return [.active, .approved, .notRegistered]
        }
    }

    /// Checks a change; re-stating a status (e.g. a level change while active) is allowed.
    public func checkTransition(to next: VNeIDStatus) throws {
        if next == self { return }
        guard successors.contains(next) else { throw RegistryError.illegalAccountTransition(from: self, to: next) }
    }
}

/// Why an account is locked (Law 26/2023 Art. 34; Decree 69/2024 Art. 15).
public enum LockReason: String, Codable, Sendable, Hashable, CaseIterable {
    case request, termsBreach, cardRevoked, deceased, authority, cardExpired
}

/// One VNeID account per ID number (assumed to survive card re-issue).
public struct VNeIDAccount: Codable, Sendable, Hashable {
    public var idNumber: String
    public var status: VNeIDStatus
    /// 1 or 2 for `pending` and `active`; kept while locked so an unlock restores it.
    public var level: Int?
    /// Only for `locked`.
    public var reason: LockReason?
    public var source: RecordSource
    public var observedAt: Date

    public init(idNumber: String, status: VNeIDStatus, level: Int? = nil, reason: LockReason? = nil,
                source: RecordSource = .registry, observedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.idNumber = idNumber
        self.status = status
        self.level = level
        self.reason = reason
        self.source = source
        self.observedAt = observedAt
    }

    public func validate() throws {
        guard idNumber.count == 12, idNumber.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw RegistryError.invalidRecord("idNumber must be exactly 12 digits")
        }
        if let level, !(1...2).contains(level) { throw RegistryError.invalidRecord("level must be 1 or 2") }
        switch status {
        case .pending, .active:
            guard level != nil else { throw RegistryError.invalidRecord("\(status.rawValue) needs level 1 or 2") }
        default: break
        }
        if status == .locked, reason == nil { throw RegistryError.invalidRecord("locked needs a reason") }
        if status != .locked, reason != nil { throw RegistryError.invalidRecord("reason is only for locked") }
    }

    /// The account after an officer's or registry's status change, checked.
    public func changed(to status: VNeIDStatus, level: Int?, reason: LockReason?, source: RecordSource, at: Date) throws -> VNeIDAccount {
        try self.status.checkTransition(to: status)
        if self.status == .active, status == .pending, !(self.level == 1 && level == 2) {
            throw RegistryError.illegalAccountTransition(from: self.status, to: status)
        }
        let next = VNeIDAccount(idNumber: idNumber, status: status, level: level ?? (status == .notRegistered ? nil : self.level),
                                reason: status == .locked ? reason : nil, source: source, observedAt: at)
        try next.validate()
        return next
    }
}
