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
    /// Files listed in EF.SOD (or EF.COM) that were not read, and why (e.g. Terminal Authentication required).
    public var skipped: [LDSFileID: String]
    public var sod: SOD?
    /// Chip Authentication as run during the read (right after access control); nil when the card
    /// offers none or PACE-CAM already authenticated the chip. Passed only once the chip answered
    /// correctly under the new keys. Whether EF.SOD vouches for the DG14 key is judged later.
    public var chipAuthentication: ChipCheckResult?
    /// Why the read stopped early: Chip Authentication failed, so nothing else the chip says is
    /// read — a clone fails before its data is read.
    public var abortedReason: String?

    /// Data groups the card did not serve (absent or refused), by number, with the reason.
    public var unavailableDataGroups: [Int: String] {
        var out = [Int: String]()
        for case let (.dataGroup(n), why) in skipped { out[n] = why }
        return out
    }

    public var dg1: DG1? { files[.dataGroup(1)].flatMap { try? DG1($0) } }
    public var dg2: DG2? { files[.dataGroup(2)].flatMap { try? DG2($0) } }
    public var dg14: DG14? { files[.dataGroup(14)].flatMap { try? DG14($0) } }
    public var dg15: DG15? { files[.dataGroup(15)].flatMap { try? DG15($0) } }
}

/// The read orchestrator: one channel, one access key, one pass over the chip.
///
/// Order (BSI TR-03135): EF.CardAccess (by SFI; SELECT MF only as a fallback, tolerating 6D00) →
/// PACE when offered, else BAC → SELECT the eMRTD application → DG14 and Chip Authentication, so
/// everything after it travels under keys only the genuine chip can derive (a relay that knows the
/// CAN cannot forge "file not found" for the rest) → EF.SOD → EF.COM → every data group EF.SOD or
/// EF.COM names. Data groups behind Terminal Authentication are not tried. A wrong password fails
/// after exactly one attempt; BAC is never tried after PACE failed on a chip that offers PACE
/// and never after "access denied".
public struct ReadSession: Sendable {
    public static let applicationID: [UInt8] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]
    /// Data groups that need Terminal Authentication (EAC-protected biometrics).
    public static let terminalAuthenticationDataGroups: Set<Int> = PassiveAuthentication.terminalAuthenticationDataGroups

    public let channel: any CardChannel
    public let key: AccessKey
    public let random: any RandomSource
    public let progress: (@Sendable (ReadProgress) -> Void)?
    /// What the card taught about read sizes (a refused extended Le, an exact-Le card), shared by
    /// every file reader of the session so each lesson costs one APDU, not one per reader.
    let memory = FileReadMemory()
    let reporter: ReadProgressReporter
    let logger = Logger(label: "cccd.read")

    /// Collects milliseconds per phase (access, chip authentication, file reading) when given.
    public let phases: ReadPhaseClock?

    public init(channel: any CardChannel, key: AccessKey, random: any RandomSource = SystemRandom(),
                progress: (@Sendable (ReadProgress) -> Void)? = nil, phases: ReadPhaseClock? = nil) {
        self.channel = channel
        self.key = key
        self.random = random
        self.progress = progress
        self.phases = phases
        reporter = ReadProgressReporter(progress)
    }

    private func timed<T>(_ phase: ReadPhase, _ body: () async throws -> T) async rethrows -> T {
        guard let phases else { return try await body() }
        return try await phases.measure(phase, body)
    }

    /// Opens the chip, authenticates it and reads it. Returns the readout and the live secure
    /// channel (for Active Authentication, which runs afterwards in the same session).
    public func read() async throws -> (MRTDReadout, SecureChannel) {
        try key.validate()
        reporter.enter(.accessControl)
        let (cardAccess, opened, access, cardSecurity) = try await timed(.access) { try await open() }
        var sm = opened
        var readout = MRTDReadout(access: access, password: key.passwordName, cardAccess: cardAccess,
                                  files: [:], skipped: [:], sod: nil)
        if let ca = cardAccess { readout.files[.cardAccess] = ca.der }
        if let cs = cardSecurity { readout.files[.cardSecurity] = cs }

        // Chip Authentication first (PACE-CAM has already proved the chip during access control).
        var isCAM = false
        if case .pace(let outcome) = access { isCAM = outcome.selection.paceProtocol.mapping == .chipAuthentication }
        var readBefore = 0
        var filesBefore = 0
        if !isCAM { reporter.enter(.readingFile(number: 1, count: nil), file: .dataGroup(14)) }
        let dg14Reader = FileReader(channel: sm, memory: memory, progress: reporter.fileSink())
        if !isCAM, let dg14 = try await timed(.fileReading, { try await readOptional(.dataGroup(14), reader: dg14Reader, into: &readout) }) {
            readBefore = dg14.count
            filesBefore = 1
            if let parsed = try? DG14(dg14), !parsed.securityInfos.chipAuthenticationPublicKeys.isEmpty {
                reporter.enter(.chipAuthentication)
                let (result, fresh) = try await timed(.chipAuthentication) { try await authenticateChip(over: sm, dg14: parsed) }
                readout.chipAuthentication = result
                guard let fresh else {
                    readout.abortedReason = "Chip Authentication failed: \(result.detail)"
                    return (readout, sm)
                }
                sm = fresh
            }
        }

        // Under Chip Authentication keys every answer must verify; a secure-messaging failure from
        // here on means the chip cannot speak under those keys: it is not the chip DG14 describes.
        // An answer without a status word is no secure-messaging answer either.
        do {
            try await timed(.fileReading) { try await readData(over: sm, into: &readout, alreadyRead: readBefore, filesBefore: filesBefore) }
        } catch let MRTDError.secureMessaging(e) where readout.chipAuthentication?.status == .passed {
            failChipAuthentication(&readout, "\(e)")
        } catch let e as ISO7816Error where e.code == .responseTooShort && readout.chipAuthentication?.status == .passed {
            failChipAuthentication(&readout, "\(e)")
        }
        return (readout, sm)
    }

    private func failChipAuthentication(_ readout: inout MRTDReadout, _ why: String) {
        readout.chipAuthentication = ChipCheckResult(
            status: .failed, code: .chipKeyMismatch,
            detail: "chip cannot speak under the Chip Authentication keys (\(why)): not the chip DG14 describes",
            algorithm: readout.chipAuthentication?.algorithm)
        readout.abortedReason = "secure messaging failed after Chip Authentication"
    }

    /// EF.SOD, EF.COM and every data group either names.
    private func readData(over sm: SecureChannel, into readout: inout MRTDReadout, alreadyRead: Int, filesBefore: Int) async throws {
        // One running total across the read: this reader continues where the DG14 reader stopped.
        let reader = FileReader(channel: sm, memory: memory, progress: reporter.fileSink(offset: alreadyRead))
        reporter.enter(.readingFile(number: filesBefore + 1, count: nil), file: .sod)
        let sodBytes = try await cancellable { try await reader.read(.sod) }
        readout.files[.sod] = sodBytes
        let sod = try SOD(sodBytes)
        readout.sod = sod

        // EF.COM is unsigned: it only tells which data groups the card serves, so that one the card
        // serves but EF.SOD does not cover is found (and fails Passive Authentication).
        var wanted = Set(sod.dataGroups)
        reporter.enter(.readingFile(number: filesBefore + 2, count: nil), file: .com)
        if let com = try await readOptional(.com, reader: reader, into: &readout), let parsed = try? EFCOM(com) {
            for tag in parsed.tags {
                if case .dataGroup(let n)? = LDSFileID.forTag(tag) { wanted.insert(n) }
            }
        }
        let remaining = wanted.sorted().filter { readout.files[.dataGroup($0)] == nil && readout.skipped[.dataGroup($0)] == nil }
        let toRead = remaining.filter { !Self.terminalAuthenticationDataGroups.contains($0) }
        for n in remaining where Self.terminalAuthenticationDataGroups.contains(n) {
            readout.skipped[.dataGroup(n)] = "requires Terminal Authentication"
        }
        for (i, n) in toRead.enumerated() {
            reporter.enter(.readingFile(number: filesBefore + 3 + i, count: filesBefore + 2 + toRead.count), file: .dataGroup(n))
            _ = try await readOptional(.dataGroup(n), reader: reader, into: &readout)
        }
    }

    /// Reads a file the card may lack or refuse: nil then, with the reason in `skipped`. Any status
    /// the card answers for the file (not only 6A82/6982) and a file whose header does not parse
    /// count as "not served": a clone must not turn a data group EF.SOD lists into a read error
    /// (exit 4) by answering it with some other status — Passive Authentication rejects it instead.
    /// Secure-messaging, transport errors and cancellation still end the read.
    private func readOptional(_ id: LDSFileID, reader: FileReader, into readout: inout MRTDReadout) async throws -> [UInt8]? {
        do {
            let bytes = try await cancellable { try await reader.read(id) }
            readout.files[id] = bytes
            return bytes
        } catch let MRTDError.fileNotReadable(_, sw) where sw == .securityNotSatisfied {
            readout.skipped[id] = "access denied by the chip (\(sw))"
        } catch let MRTDError.fileNotReadable(_, sw) where sw == .fileNotFound {
            readout.skipped[id] = "absent (\(sw))"
        } catch let MRTDError.fileNotReadable(_, sw) {
            readout.skipped[id] = "the chip answered \(sw)"
        } catch let e as LDSError {
            readout.skipped[id] = "unreadable (\(e))"
        }
        return nil
    }

    /// Runs Chip Authentication; anything the chip gets wrong (an error status, an unusable key, a
    /// secure-messaging failure) is a failed check, not a failed read. Transport errors and
    /// cancellation still end the read.
    private func authenticateChip(over sm: SecureChannel, dg14: DG14) async throws -> (ChipCheckResult, SecureChannel?) {
        do {
            return try await ChipAuthentication.run(over: sm, dg14: dg14, random: random, confirm: false)
        } catch MRTDError.cancelled {
            throw MRTDError.cancelled
        } catch let e as MRTDError {
            return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "Chip Authentication: \(e)"), nil)
        } catch let e as LDSError {
            return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "DG14 key unusable: \(e)"), nil)
        } catch let e as CryptoError {
            return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "DG14 key unusable: \(e)"), nil)
        } catch let e as ISO7816Error where e.code == .responseTooShort {
            return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "Chip Authentication: \(e)"), nil)
        }
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
                    // Without it CAM cannot be checked: the chip fails Chip Authentication later (rejected).
                    // Not a reason to end the read, nor to fall back to BAC below.
                    cardSecurity = try await readCardSecurity(over: sm)
                }
                try await selectApplication(sm)
                return (cardAccess, sm, .pace(outcome), cardSecurity)
            }
            // A PACE failure ends the read: BAC on a chip that offers PACE is what a downgrade
            // looks like (the access check rejects it), so it is never tried after PACE failed.
        }
        guard key.bacKeySeed != nil else {
            throw MRTDError.noAccessProtocol("the card offers no PACE and a \(key.passwordName) cannot open BAC; give the MRZ data")
        }
        return (cardAccess, try await openBAC(), .bac, nil)
    }

    /// EF.CardAccess once more after a card reset, when the channel can reset the card; nil (a BAC
    /// card) when it cannot or the file is still not there.
    private func readCardAccessAfterReset(_ reader: FileReader) async throws -> SecurityInfos? {
        guard let resettable = channel as? ResettableChannel, (try? await resettable.resetCard()) != nil else { return nil }
        do {
            return try SecurityInfos(der: try await reader.read(.cardAccess), file: "EF.CardAccess")
        } catch MRTDError.fileNotReadable {
            return nil
        }
    }

    /// EF.CardSecurity after PACE-CAM; nil when the chip does not serve it (any status) or its
    /// header does not parse.
    private func readCardSecurity(over sm: SecureChannel) async throws -> [UInt8]? {
        do {
            return try await FileReader(channel: sm, memory: memory, progress: reporter.fileSink()).read(.cardSecurity)
        } catch let MRTDError.fileNotReadable(_, sw) {
            logger.info("EF.CardSecurity not served (\(sw)): PACE-CAM cannot be verified")
            return nil
        } catch is LDSError {
            logger.info("EF.CardSecurity unreadable: PACE-CAM cannot be verified")
            return nil
        }
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
        let plain = FileReader(channel: channel, memory: memory, progress: reporter.fileSink())
        do {
            let bytes = try await plain.read(.cardAccess)
            return try SecurityInfos(der: bytes, file: "EF.CardAccess")
        } catch let MRTDError.fileNotReadable(_, sw) where sw == .fileNotFound {
            let mf = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 0x00, p2: 0x0C, data: [0x3F, 0x00]))
            guard mf.status.isSuccess else {
                // 6D00 and friends: no MF selection on this card. A card left on the reader after an
                // earlier read still has the eMRTD application selected: a reset brings back the MF.
                return try await readCardAccessAfterReset(plain)
            }
            let retry = FileReader(channel: channel, memory: memory, progress: reporter.fileSink())
            do {
                return try SecurityInfos(der: try await retry.read(.cardAccess), file: "EF.CardAccess")
            } catch MRTDError.fileNotReadable {
                return nil
            }
        }
    }
}
