import Foundation
import ISO7816
import MRTD
import MRTDCrypto

/// Reads and verifies one card over any channel: the whole job of an issuing station or a mobile
/// team, independent of PC/SC. The result is data (`CardReadout`); nothing is printed here.
public struct CardReader: Sendable {
    public struct Options: Sendable {
        public var trust: TrustStore
        /// Verification time (injectable so tests are reproducible).
        public var date: Date
        public var random: any RandomSource
        public var activeAuthenticationChallenge: [UInt8]?
        public var progress: (@Sendable (ReadProgress) -> Void)?
        /// Sees every APDU exchange (redacted: headers, lengths, status words, timing).
        public var trace: (@Sendable (APDUTraceEntry) -> Void)?

        public init(trust: TrustStore, date: Date = Date(), random: any RandomSource = SystemRandom(),
                    activeAuthenticationChallenge: [UInt8]? = nil, progress: (@Sendable (ReadProgress) -> Void)? = nil,
                    trace: (@Sendable (APDUTraceEntry) -> Void)? = nil) {
            self.trace = trace
            self.trust = trust
            self.date = date
            self.random = random
            self.activeAuthenticationChallenge = activeAuthenticationChallenge
            self.progress = progress
        }
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    public func read(channel: any CardChannel, key: AccessKey, reader: String, atr: [UInt8]) async throws -> CardReadout {
        let start = ContinuousClock.now
        let traced = TracingChannel(channel, detail: .redacted, observer: options.trace)
        let reporter = ReadProgressReporter(options.progress)
        var forward: (@Sendable (ReadProgress) -> Void)?
        if options.progress != nil { forward = { @Sendable p in reporter.forward(p) } }
        let phases = ReadPhaseClock()
        let (readout, sm) = try await ReadSession(channel: traced, key: key, random: options.random, progress: forward, phases: phases).read()
        let year = Calendar(identifier: .gregorian).component(.year, from: options.date)
        let dg1 = readout.files[.dataGroup(1)].flatMap { try? DG1($0) }
        let dg13 = readout.files[.dataGroup(13)].flatMap { try? DG13($0) }

        let verification: CardReadout.Verification
        if let sod = readout.sod, readout.abortedReason == nil {
            verification = try await verify(readout, sod: sod, sm: sm, dg1: dg1, dg13: dg13, year: year, reporter: reporter, phases: phases)
        } else {
            verification = Self.aborted(readout)
        }

        let face = readout.files[.dataGroup(2)].flatMap { try? DG2($0) }?.face
        let elapsed = ContinuousClock.now - start
        let stats = traced.statistics
        return CardReadout(
            reader: reader, atr: atr.hex,
            access: .init(method: readout.access.name, password: readout.password),
            document: dg1?.mrz.map { Self.document($0, dg13: dg13, referenceYear: year) },
            citizen: dg13.map(Self.citizen),
            photo: face.map { .init(format: $0.format.rawValue, bytes: $0.data.count, sha256: HashAlgorithm.sha256.hash($0.data).hex.lowercased()) },
            photoData: face?.data,
            verification: verification, verdict: CardReadout.verdict(verification),
            stats: .init(apdus: stats.apdus, bytesSent: stats.bytesSent, bytesReceived: stats.bytesReceived,
                         milliseconds: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
                         phases: phases.timings),
            identity: .init(idNumber: dg13?.idNumber ?? dg1?.mrz?.vietnameseIDNumber, documentNumber: dg1?.mrz?.documentNumber,
                            sodSHA256: readout.files[.sod].map { HashAlgorithm.sha256.hash($0).hex.lowercased() },
                            documentSignerSerialNumber: verification.signer.serialNumber),
            readAt: Date(),
            files: readout.files)
    }

    /// Every check of a read that got as far as EF.SOD. Chip and Active Authentication count only
    /// when Passive Authentication verified the data group holding their key.
    func verify(_ readout: MRTDReadout, sod: SOD, sm: SecureChannel, dg1: DG1?, dg13: DG13?, year: Int,
                reporter: ReadProgressReporter = ReadProgressReporter(nil), phases: ReadPhaseClock = ReadPhaseClock()) async throws -> CardReadout.Verification {
        reporter.enter(.passiveAuthentication)
        let vietnamese = dg1?.mrz?.issuingState == "VNM" || dg13 != nil
        let (pa, signer, dsc) = phases.measure(.passiveAuthentication) {
            PassiveAuthentication.verify(
                sod: sod, files: readout.files, unavailable: readout.unavailableDataGroups,
                mustBeSigned: vietnamese ? [13] : [], trust: options.trust, at: options.date,
                documentIssuedAt: dg13?.dateOfIssue.flatMap(Self.utcDay))
        }
        let verified = Set(pa.verifiedDataGroups)
        let listed = Set(sod.dataGroups)
        let dg14Bytes = readout.files[.dataGroup(14)]
        let dg14 = dg14Bytes.flatMap { try? DG14($0) }

        let active = try await phases.measure(.activeAuthentication) {
            try await activeAuthentication(readout, sm: sm, dg14: dg14, verified: verified, listed: listed, reporter: reporter)
        }

        var chip: ChipCheckResult
        if case .pace(let outcome) = readout.access, outcome.selection.paceProtocol.mapping == .chipAuthentication {
            chip = Self.verifyCAM(outcome, cardSecurity: readout.files[.cardSecurity], sodSigner: dsc, trust: options.trust, date: options.date)
        } else if let ca = readout.chipAuthentication {
            if ca.status == .passed && !verified.contains(14) {
                chip = ChipCheckResult(status: .skipped, code: .keyNotSigned,
                                       detail: "the chip proved a DG14 key that EF.SOD does not vouch for; that proves nothing", algorithm: ca.algorithm)
            } else {
                chip = ca
            }
        } else if dg14Bytes != nil {
            if let dg14, dg14.securityInfos.chipAuthenticationPublicKeys.isEmpty {
                chip = ChipCheckResult(status: .notSupported, code: .notSupported, detail: "DG14 offers no Chip Authentication")
            } else if verified.contains(14) {
                chip = ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "DG14 does not parse")
            } else {
                chip = ChipCheckResult(status: .skipped, code: .keyNotSigned, detail: "DG14 is not vouched for by a verified EF.SOD")
            }
        } else if listed.contains(14) {
            chip = ChipCheckResult(status: .skipped, code: .dataGroupMissing,
                                   detail: "EF.SOD lists DG14 but the card does not serve it (\(readout.unavailableDataGroups[14] ?? "not read"))")
        } else {
            chip = ChipCheckResult(status: .notSupported, code: .notSupported, detail: "the card has no DG14")
        }

        let access = Self.accessCheck(readout, dg14: dg14, dg14Verified: verified.contains(14), dg14Listed: listed.contains(14), camPassed: chip.status == .passed)
        let consistency = ConsistencyChecks.check(dg1: dg1, dg13: dg13, referenceYear: year)
        return CardReadout.Verification(access: access, passive: pa, signer: signer, chip: chip, active: active, consistency: consistency)
    }

    /// Active Authentication, run only when EF.SOD vouches for DG15. Whatever the chip gets wrong
    /// (an error or unprotected status, a bad signature, an unusable key) fails the check; only
    /// transport errors and cancellation end the read.
    func activeAuthentication(_ readout: MRTDReadout, sm: SecureChannel, dg14: DG14?, verified: Set<Int>, listed: Set<Int>,
                              reporter: ReadProgressReporter = ReadProgressReporter(nil)) async throws -> ChipCheckResult {
        guard let dg15Bytes = readout.files[.dataGroup(15)] else {
            if listed.contains(15) {
                return ChipCheckResult(status: .skipped, code: .dataGroupMissing,
                                       detail: "EF.SOD lists DG15 but the card does not serve it (\(readout.unavailableDataGroups[15] ?? "not read"))")
            }
            return ChipCheckResult(status: .notSupported, code: .notSupported, detail: "the card has no DG15")
        }
        guard verified.contains(15) else {
            return ChipCheckResult(status: .skipped, code: .keyNotSigned, detail: "DG15 is not vouched for by a verified EF.SOD; its key proves nothing")
        }
        guard let dg15 = try? DG15(dg15Bytes) else {
            return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "DG15 does not parse")
        }
        reporter.enter(.activeAuthentication)
        do {
            return try await ActiveAuthentication.run(over: sm, dg15: dg15, dg14: dg14, challenge: options.activeAuthenticationChallenge, random: options.random)
        } catch MRTDError.cancelled {
            throw MRTDError.cancelled
        } catch let e as MRTDError {
            return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "Active Authentication: \(e)")
        } catch let e as CryptoError {
            return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "DG15 key unusable: \(e)")
        } catch let e as LDSError {
            return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "DG15 key unusable: \(e)")
        } catch let e as ISO7816Error where e.code == .responseTooShort {
            // No status word at all: the chip answered wrongly (a transport failure is a PC/SC error).
            return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "Active Authentication: \(e)")
        }
    }

    /// The downgrade check: when the signed SecurityInfos (DG14 verified by Passive Authentication,
    /// or EF.CardSecurity verified for PACE-CAM) list PACE, the protocol used must be one of them —
    /// otherwise an attacker who controls the unsigned EF.CardAccess chose a weaker protocol (or BAC).
    static func accessCheck(_ readout: MRTDReadout, dg14: DG14?, dg14Verified: Bool, dg14Listed: Bool = false, camPassed: Bool) -> AccessCheckResult {
        let used: String
        var usedInfo: PACEInfo?
        switch readout.access {
        case .bac: used = "BAC"
        case .pace(let outcome):
            usedInfo = outcome.selection.info
            used = outcome.selection.paceProtocol.description
        }
        var signed = [PACEInfo]()
        if dg14Verified, let dg14 { signed += dg14.securityInfos.paceInfos }
        if camPassed, let cs = readout.files[.cardSecurity].flatMap({ try? EFCardSecurity($0) }) { signed += cs.securityInfos.paceInfos }
        if signed.isEmpty {
            if readout.files[.dataGroup(14)] != nil && !dg14Verified {
                return AccessCheckResult(status: .skipped, code: .keyNotSigned, detail: "DG14 is not vouched for, so the access protocol cannot be checked", protocol: used)
            }
            // EF.SOD lists DG14 but the card did not serve it: the signed SecurityInfos are missing,
            // not empty — nothing was checked.
            if dg14Listed && readout.files[.dataGroup(14)] == nil {
                return AccessCheckResult(status: .skipped, code: .dataGroupMissing, detail: "EF.SOD lists DG14 but the card does not serve it, so the access protocol cannot be checked", protocol: used)
            }
            return AccessCheckResult(status: .passed, code: .accessProtocolSigned, detail: "the signed SecurityInfos list no PACE protocol", protocol: used)
        }
        guard let usedInfo else {
            return AccessCheckResult(status: .failed, code: .downgrade, detail: "the chip was opened with BAC but its signed SecurityInfos offer PACE", protocol: used)
        }
        // When the signed PACEInfo names its domain parameters, the unsigned one used must name the
        // same: a PACEInfo without a parameter ID takes its domain from EF.CardAccess, which anyone
        // relaying the card can rewrite.
        let listed = signed.contains { $0.protocolOID == usedInfo.protocolOID && ($0.parameterID == nil || $0.parameterID == usedInfo.parameterID) }
        guard listed else {
            return AccessCheckResult(status: .failed, code: .downgrade, detail: "PACE ran with \(used), which the signed SecurityInfos do not list", protocol: used)
        }
        return AccessCheckResult(status: .passed, code: .accessProtocolSigned, detail: "PACE protocol used is listed in the signed SecurityInfos", protocol: used)
    }

    /// The results of a read that stopped after a failed Chip Authentication: nothing the chip
    /// said afterwards was read, so no other check ran.
    static func aborted(_ readout: MRTDReadout) -> CardReadout.Verification {
        let why = readout.abortedReason ?? "the read stopped before EF.SOD"
        // An aborted read is a failed chip, whatever CA said before the abort: nothing after it was
        // verified, so it can never come out `unverified` (exit 5) instead of `rejected`.
        let chip = readout.chipAuthentication.flatMap { $0.status == .failed ? $0 : nil }
            ?? ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: why, algorithm: readout.chipAuthentication?.algorithm)
        return CardReadout.Verification(
            access: AccessCheckResult(status: .skipped, code: .readAborted, detail: why, protocol: readout.access.name),
            passive: PassiveAuthenticationResult(status: .skipped, code: .readAborted, detail: why, dataGroups: [:],
                                                 hashAlgorithm: nil, signatureAlgorithm: nil, verifiedDataGroups: []),
            signer: SignerResult(status: .unknown, code: .readAborted, detail: why),
            chip: chip,
            active: ChipCheckResult(status: .skipped, code: .readAborted, detail: why),
            consistency: ConsistencyResult(status: .skipped, problems: [], warnings: [why]))
    }

    /// A DG13 ISO date as the UTC day it names.
    static func utcDay(_ iso: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.date(from: iso)
    }

    /// PACE-CAM: EF.CardSecurity must be signed by the SOD's document signer (or a trusted one),
    /// and its static key times CA_PICC must give the chip's mapping key.
    static func verifyCAM(_ outcome: PACEOutcome, cardSecurity: [UInt8]?, sodSigner: Certificate?, trust: TrustStore, date: Date) -> ChipCheckResult {
        let algorithm = "PACE-CAM (\(outcome.selection.paceProtocol.cipher.rawValue))"
        guard let bytes = cardSecurity, let cs = try? EFCardSecurity(bytes) else {
            return ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "EF.CardSecurity missing or malformed", algorithm: algorithm)
        }
        guard let si = cs.signedData.signerInfos.first else {
            return ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "EF.CardSecurity has no SignerInfo", algorithm: algorithm)
        }
        let embedded = cs.signedData.certificates.compactMap { try? Certificate(der: $0) }
        guard let signer = embedded.first(where: { PassiveAuthentication.matches($0, si.signerIdentifier) }) ?? sodSigner else {
            return ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "EF.CardSecurity has no signer certificate", algorithm: algorithm)
        }
        let check = PassiveAuthentication.verifySignedData(cs.signedData, signerInfo: si, certificate: signer)
        guard check.ok else { return ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "EF.CardSecurity \(check.detail)", algorithm: algorithm) }
        guard signer.der == sodSigner?.der || PassiveAuthentication.signer(signer, trust: trust, at: date).status == .trusted else {
            return ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "EF.CardSecurity is signed by a signer that is neither the SOD's nor trusted", algorithm: algorithm)
        }
        guard let key = cs.securityInfos.chipAuthenticationPublicKeys.first?.publicKey.key else {
            return ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "EF.CardSecurity holds no chip public key", algorithm: algorithm)
        }
        let ok = PACE.verifyCAM(outcome: outcome, staticKey: key)
        return ChipCheckResult(status: ok ? .passed : .failed, code: ok ? .chipAuthenticated : .chipKeyMismatch,
                               detail: ok ? "chip proved its EF.CardSecurity key during PACE (Chip Authentication Mapping)" : "chip authentication data does not match the EF.CardSecurity key: a clone",
                               algorithm: algorithm)
    }

    /// The MRZ as document data. A two-digit year is ambiguous (a 1925 birth looks like 2025), so
    /// when DG13 carries the same date with its century, that full date is used.
    static func document(_ m: MRZ, dg13: DG13?, referenceYear: Int) -> CardReadout.Document {
        let sex: String = m.sex == "M" ? "M" : (m.sex == "F" ? "F" : "X")
        func sameDay(_ iso: String?, _ yymmdd: String) -> String? {
            guard let iso, iso.count == 10 else { return nil }
            let short = String(iso.dropFirst(2).prefix(2)) + String(iso.dropFirst(5).prefix(2)) + String(iso.suffix(2))
            return short == yymmdd ? iso : nil
        }
        let birth = sameDay(dg13?.dateOfBirth, m.dateOfBirth)
            ?? VietnameseDate.iso(fromMRZ: m.dateOfBirth, isBirth: true, referenceYear: referenceYear)
        let expiry: String?
        if m.dateOfExpiry == VietnameseMRZ.noExpiry && m.issuingState == "VNM" {
            expiry = nil
        } else {
            expiry = sameDay(dg13?.dateOfExpiry, m.dateOfExpiry)
                ?? VietnameseDate.iso(fromMRZ: m.dateOfExpiry, isBirth: false, referenceYear: referenceYear)
        }
        return .init(documentCode: m.documentCode, issuingState: m.issuingState, documentNumber: m.documentNumber,
                     dateOfBirth: birth, dateOfExpiry: expiry, sex: sex, name: m.name, mrz: m.text)
    }

    static func citizen(_ d: DG13) -> CardReadout.Citizen {
        .init(idNumber: d.idNumber, fullName: d.fullName, dateOfBirth: d.dateOfBirth, sex: d.sexText, nationality: d.nationality,
              ethnicity: d.ethnicity, religion: d.religion, placeOfOrigin: d.placeOfOrigin, placeOfResidence: d.placeOfResidence,
              identifyingMarks: d.identifyingMarks, dateOfIssue: d.dateOfIssue, dateOfExpiry: d.dateOfExpiry, fatherName: d.fatherName,
              motherName: d.motherName, spouseName: d.spouseName, oldIdNumber: d.oldIDNumber)
    }
}
