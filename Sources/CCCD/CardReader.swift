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
        let (readout, sm) = try await ReadSession(channel: traced, key: key, random: options.random, progress: options.progress).read()
        guard let sod = readout.sod else { throw MRTDError.protocolViolation("EF.SOD missing") }

        let (pa, signer, dsc) = PassiveAuthentication.verify(sod: sod, files: readout.files, trust: options.trust, at: options.date)
        let verified = Set(pa.verifiedDataGroups)
        let dg14 = readout.files[.dataGroup(14)].flatMap { try? DG14($0) }

        // Active Authentication: the DG15 key counts only if EF.SOD vouches for it.
        var active: ChipCheckResult
        if let dg15Bytes = readout.files[.dataGroup(15)] {
            if !verified.contains(15) {
                active = ChipCheckResult(status: .failed, detail: "DG15 is not vouched for by a verified EF.SOD; its key proves nothing")
            } else if let dg15 = try? DG15(dg15Bytes) {
                active = try await ActiveAuthentication.run(over: sm, dg15: dg15, dg14: dg14, challenge: options.activeAuthenticationChallenge, random: options.random)
            } else {
                active = ChipCheckResult(status: .failed, detail: "DG15 does not parse")
            }
        } else {
            active = ChipCheckResult(status: .notSupported, detail: "the card has no DG15")
        }

        // Chip Authentication, gated the same way on DG14.
        var chip: ChipCheckResult
        if case .pace(let outcome) = readout.access, outcome.selection.paceProtocol.mapping == .chipAuthentication {
            chip = Self.verifyCAM(outcome, cardSecurity: readout.files[.cardSecurity], sodSigner: dsc, trust: options.trust, date: options.date)
        } else if let dg14, !dg14.securityInfos.chipAuthenticationPublicKeys.isEmpty {
            if !verified.contains(14) {
                chip = ChipCheckResult(status: .failed, detail: "DG14 is not vouched for by a verified EF.SOD; its key proves nothing")
            } else {
                do {
                    chip = try await ChipAuthentication.run(over: sm, dg14: dg14, random: options.random).0
                } catch let e as MRTDError {
                    chip = ChipCheckResult(status: .failed, detail: "\(e)")
                }
            }
        } else {
            chip = ChipCheckResult(status: .notSupported, detail: readout.files[.dataGroup(14)] == nil ? "the card has no DG14" : "DG14 offers no Chip Authentication")
        }

        let dg1 = readout.files[.dataGroup(1)].flatMap { try? DG1($0) }
        let dg13 = readout.files[.dataGroup(13)].flatMap { try? DG13($0) }
        let year = Calendar(identifier: .gregorian).component(.year, from: options.date)
        let consistency = ConsistencyChecks.check(dg1: dg1, dg13: dg13, referenceYear: year)
        let verification = CardReadout.Verification(passive: pa, signer: signer, chip: chip, active: active, consistency: consistency)

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
                         milliseconds: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)),
            identity: .init(idNumber: dg13?.idNumber ?? dg1?.mrz?.vietnameseIDNumber, documentNumber: dg1?.mrz?.documentNumber,
                            sodSHA256: readout.files[.sod].map { HashAlgorithm.sha256.hash($0).hex.lowercased() },
                            documentSignerSerialNumber: signer.serialNumber),
            readAt: Date(),
            files: readout.files)
    }

    /// PACE-CAM: EF.CardSecurity must be signed by the SOD's document signer (or a trusted one),
    /// and its static key times CA_PICC must give the chip's mapping key.
    static func verifyCAM(_ outcome: PACEOutcome, cardSecurity: [UInt8]?, sodSigner: Certificate?, trust: TrustStore, date: Date) -> ChipCheckResult {
        let algorithm = "PACE-CAM (\(outcome.selection.paceProtocol.cipher.rawValue))"
        guard let bytes = cardSecurity, let cs = try? EFCardSecurity(bytes) else {
            return ChipCheckResult(status: .failed, detail: "EF.CardSecurity missing or malformed", algorithm: algorithm)
        }
        let si = cs.signedData.signerInfos[0]
        let embedded = cs.signedData.certificates.compactMap { try? Certificate(der: $0) }
        guard let signer = embedded.first(where: { PassiveAuthentication.matches($0, si.signerIdentifier) }) ?? sodSigner else {
            return ChipCheckResult(status: .failed, detail: "EF.CardSecurity has no signer certificate", algorithm: algorithm)
        }
        let check = PassiveAuthentication.verifySignedData(cs.signedData, signerInfo: si, certificate: signer)
        guard check.ok else { return ChipCheckResult(status: .failed, detail: "EF.CardSecurity \(check.detail)", algorithm: algorithm) }
        guard signer.der == sodSigner?.der || PassiveAuthentication.signer(signer, trust: trust, at: date).status == .trusted else {
            return ChipCheckResult(status: .failed, detail: "EF.CardSecurity is signed by a signer that is neither the SOD's nor trusted", algorithm: algorithm)
        }
        guard let key = cs.securityInfos.chipAuthenticationPublicKeys.first?.publicKey.key else {
            return ChipCheckResult(status: .failed, detail: "EF.CardSecurity holds no chip public key", algorithm: algorithm)
        }
        let ok = PACE.verifyCAM(outcome: outcome, staticKey: key)
        return ChipCheckResult(status: ok ? .passed : .failed,
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
        .init(idNumber: d.idNumber, fullName: d.fullName, dateOfBirth: d.dateOfBirth, sex: d.sex, nationality: d.nationality,
              ethnicity: d.ethnicity, religion: d.religion, placeOfOrigin: d.placeOfOrigin, placeOfResidence: d.placeOfResidence,
              identifyingMarks: d.identifyingMarks, dateOfIssue: d.dateOfIssue, dateOfExpiry: d.dateOfExpiry, fatherName: d.fatherName,
              motherName: d.motherName, spouseName: d.spouseName, oldIdNumber: d.oldIDNumber)
    }
}
