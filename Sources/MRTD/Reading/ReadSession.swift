import ISO7816
import Logging
import MRTDCrypto

/// How the chip was opened.
public enum AccessMethod: Sendable, Hashable {
    case pace(PACEOutcome)
    case bac

    public var name: String {
        switch self {
        case .pace: return "PACE"
        case .bac: return "BAC"
        }
    }
}

/// Everything one read produced, as raw bytes plus what parsed; verification works from this.
public struct MRTDReadout: Sendable {
    public var access: AccessMethod
    public var password: String
    /// EF.CardAccess, if the card has one.
    public var cardAccess: SecurityInfos?
    /// The raw bytes of every file read.
    public var files: [LDSFileID: [UInt8]]
    /// Files listed in EF.SOD that were not read, and why (e.g. Terminal Authentication required).
    public var skipped: [LDSFileID: String]
    public var sod: SOD?

    public var dg1: DG1? { files[.dataGroup(1)].flatMap { try? DG1($0) } }
    public var dg2: DG2? { files[.dataGroup(2)].flatMap { try? DG2($0) } }
    public var dg14: DG14? { files[.dataGroup(14)].flatMap { try? DG14($0) } }
    public var dg15: DG15? { files[.dataGroup(15)].flatMap { try? DG15($0) } }
}

/// The read orchestrator: one channel, one access key, one pass over the chip.
///
/// Order: EF.CardAccess (by SFI; SELECT MF only as a fallback, tolerating 6D00) → PACE when offered,
/// else BAC → SELECT the eMRTD application → EF.SOD → every data group EF.SOD lists (EF.COM is
/// unsigned and not consulted). Data groups behind Terminal Authentication are skipped with a reason.
/// A wrong password fails after exactly one attempt; BAC after a failed PACE happens only on a
/// fresh session (card reset), and never after "access denied".
public struct ReadSession: Sendable {
    public static let applicationID: [UInt8] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]
    /// Data groups that need Terminal Authentication (EAC-protected biometrics).
    public static let terminalAuthenticationDataGroups: Set<Int> = [3, 4]

    public let channel: any CardChannel
    public let key: AccessKey
    public let random: any RandomSource
    public let progress: (@Sendable (ReadProgress) -> Void)?
    let logger = Logger(label: "cccd.read")

    public init(channel: any CardChannel, key: AccessKey, random: any RandomSource = SystemRandom(),
                progress: (@Sendable (ReadProgress) -> Void)? = nil) {
        self.channel = channel
        self.key = key
        self.random = random
        self.progress = progress
    }

    /// Opens the chip and reads it. Returns the readout and the live secure channel (for Active and
    /// Chip Authentication, which run afterwards in the same session).
    public func read() async throws -> (MRTDReadout, SecureChannel) {
        try key.validate()
        let (cardAccess, sm, access, cardSecurity) = try await open()
        let reader = FileReader(channel: sm, progress: progress)
        var files = [LDSFileID: [UInt8]]()
        var skipped = [LDSFileID: String]()
        if let ca = cardAccess { files[.cardAccess] = ca.der }
        if let cs = cardSecurity { files[.cardSecurity] = cs }
        let sodBytes = try await cancellable { try await reader.read(.sod) }
        files[.sod] = sodBytes
        let sod = try SOD(sodBytes)
        for n in sod.dataGroups {
            let id = LDSFileID.dataGroup(n)
            if Self.terminalAuthenticationDataGroups.contains(n) {
                skipped[id] = "requires Terminal Authentication"
                continue
            }
            do {
                files[id] = try await cancellable { try await reader.read(id) }
            } catch let MRTDError.fileNotReadable(_, sw) where sw == .securityNotSatisfied {
                skipped[id] = "access denied by the chip (\(sw))"
            } catch let MRTDError.fileNotReadable(_, sw) where sw == .fileNotFound {
                skipped[id] = "listed in EF.SOD but absent (\(sw))"
            }
        }
        let readout = MRTDReadout(access: access, password: key.passwordName, cardAccess: cardAccess,
                                  files: files, skipped: skipped, sod: sod)
        return (readout, sm)
    }

    private func cancellable<T>(_ body: () async throws -> T) async throws -> T {
        if Task.isCancelled { throw MRTDError.cancelled }
        do { return try await body() } catch is CancellationError { throw MRTDError.cancelled }
    }

    /// Reads EF.CardAccess and runs PACE or BAC. After PACE-CAM, EF.CardSecurity (in the MF) is
    /// read before the application is selected: it holds the static key CAM is checked against.
    func open() async throws -> (SecurityInfos?, SecureChannel, AccessMethod, [UInt8]?) {
        let cardAccess = try await readCardAccess()
        if let infos = cardAccess, !infos.paceInfos.isEmpty {
            let selection: PACESelection
            do {
                selection = try PACE.select(from: infos)
            } catch {
                if key.bacKeySeed == nil { throw error }
                logger.info("no usable PACEInfo; using BAC")
                return (cardAccess, try await openBAC(), .bac, nil)
            }
            do {
                let (sm, outcome) = try await PACE.establish(over: channel, key: key, selection: selection, random: random)
                var cardSecurity: [UInt8]?
                if selection.paceProtocol.mapping == .chipAuthentication {
                    cardSecurity = try await FileReader(channel: sm, progress: progress).read(.cardSecurity)
                }
                try await selectApplication(sm)
                return (cardAccess, sm, .pace(outcome), cardSecurity)
            } catch let e as MRTDError {
                if case .accessDenied = e { throw e }
                // PACE failed for another reason: BAC only on a fresh session, and only with MRZ data.
                guard key.bacKeySeed != nil, let resettable = channel as? ResettableChannel else { throw e }
                logger.info("PACE failed (\(e)); resetting the card for BAC")
                try await resettable.resetCard()
                return (cardAccess, try await openBAC(), .bac, nil)
            }
        }
        guard key.bacKeySeed != nil else {
            throw MRTDError.noAccessProtocol("the card offers no PACE and a \(key.passwordName) cannot open BAC; give the MRZ data")
        }
        return (cardAccess, try await openBAC(), .bac, nil)
    }

    private func openBAC() async throws -> SecureChannel {
        let sel = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: Self.applicationID))
        guard sel.status.isSuccess else { throw MRTDError.cardStatus(sel.status, step: "SELECT eMRTD application") }
        return try await BAC.establish(over: channel, key: key, random: random)
    }

    private func selectApplication(_ sm: SecureChannel) async throws {
        let sel = try await sm.transmit(CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: Self.applicationID))
        guard sel.status.isSuccess else { throw MRTDError.cardStatus(sel.status, step: "SELECT eMRTD application") }
    }

    /// EF.CardAccess by SFI; if the card does not take SFI reads in the MF, SELECT MF (a 6D00 answer
    /// is tolerated: some cards do not implement it) and SELECT the file. Absent (6A82) = BAC card.
    func readCardAccess() async throws -> SecurityInfos? {
        let plain = FileReader(channel: channel, progress: progress)
        do {
            let bytes = try await plain.read(.cardAccess)
            return try SecurityInfos(der: bytes, file: "EF.CardAccess")
        } catch let MRTDError.fileNotReadable(_, sw) where sw == .fileNotFound {
            let mf = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 0x00, p2: 0x0C, data: [0x3F, 0x00]))
            guard mf.status.isSuccess else { return nil }  // 6D00 and friends: no MF selection on this card
            let retry = FileReader(channel: channel, progress: progress)
            do {
                return try SecurityInfos(der: try await retry.read(.cardAccess), file: "EF.CardAccess")
            } catch MRTDError.fileNotReadable {
                return nil
            }
        }
    }
}
