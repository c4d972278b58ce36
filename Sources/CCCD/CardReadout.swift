import Foundation
import ISO7816
import MRTD
import MRTDCrypto

/// One read of one card with its verification and verdict — the value a registry links to a
/// citizen and the CLI prints. Its JSON is the stable contract documented in README.md: keys are
/// never renamed, absent values are `null`.
public struct CardReadout: Sendable, Encodable {
    public struct Access: Codable, Sendable, Hashable {
        public var method: String
        public var password: String
    }

    public struct Document: Codable, Sendable, Hashable {
        public var documentCode: String
        public var issuingState: String
        public var documentNumber: String
        public var dateOfBirth: String?
        public var dateOfExpiry: String?
        public var sex: String
        public var name: String
        public var mrz: String
    }

    public struct Citizen: Codable, Sendable, Hashable {
        public var idNumber: String?
        public var fullName: String?
        public var dateOfBirth: String?
        public var sex: String?
        public var nationality: String?
        public var ethnicity: String?
        public var religion: String?
        public var placeOfOrigin: String?
        public var placeOfResidence: String?
        public var identifyingMarks: String?
        public var dateOfIssue: String?
        public var dateOfExpiry: String?
        public var fatherName: String?
        public var motherName: String?
        public var spouseName: String?
        public var oldIdNumber: String?
    }

    public struct Photo: Codable, Sendable, Hashable {
        public var format: String
        public var bytes: Int
        public var sha256: String
    }

    public struct Verification: Sendable, Hashable {
        /// Whether the access protocol used is one the signed SecurityInfos vouch for (no downgrade).
        public var access: AccessCheckResult
        public var passive: PassiveAuthenticationResult
        public var signer: SignerResult
        public var chip: ChipCheckResult
        public var active: ChipCheckResult
        public var consistency: ConsistencyResult
    }

    public enum Verdict: String, Codable, Sendable { case genuine, rejected, unverified }

    /// What a registry links a read to: the person, the document, and this exact chip content.
    /// The SOD hash identifies the personalised chip (it changes with every re-issue).
    public struct Identity: Codable, Sendable, Hashable {
        public var idNumber: String?
        public var documentNumber: String?
        public var sodSHA256: String?
        public var documentSignerSerialNumber: String?
    }

    public struct Stats: Codable, Sendable, Hashable {
        public var apdus: Int
        public var bytesSent: Int
        public var bytesReceived: Int
        public var milliseconds: Int
        /// Milliseconds per phase (access, chipAuthentication, fileReading, passiveAuthentication,
        /// activeAuthentication; `null` for a phase the read did not pass).
        public var phases: ReadPhaseTimings

        public init(apdus: Int, bytesSent: Int, bytesReceived: Int, milliseconds: Int, phases: ReadPhaseTimings = ReadPhaseTimings()) {
            self.apdus = apdus
            self.bytesSent = bytesSent
            self.bytesReceived = bytesReceived
            self.milliseconds = milliseconds
            self.phases = phases
        }
    }

    public var reader: String
    public var atr: String
    /// The built-in simulated card, read because the user asked for it (`--simulated`): its test
    /// CSCA was trusted for that read only. Never set for a card in a reader.
    public var simulated: Bool = false
    public var access: Access
    public var document: Document?
    public var citizen: Citizen?
    public var photo: Photo?
    /// The face image bytes (not in JSON; written by `--photo`).
    public var photoData: [UInt8]?
    public var verification: Verification
    public var verdict: Verdict
    public var stats: Stats
    public var identity: Identity
    /// When the read finished (UTC).
    public var readAt: Date
    /// Raw files, for registries that archive the read (not in JSON).
    public var files: [LDSFileID: [UInt8]]

    /// The verdict rule, fail-closed: genuine only when every check ran and passed — Passive
    /// Authentication, a trusted signer, the access protocol, DG1/DG13 consistency — and the chip
    /// authenticated with every mechanism it offers (at least one); rejected when anything failed;
    /// otherwise (a check skipped, a signer unknown, a chip that proves nothing) unverified.
    public static func verdict(_ v: Verification) -> Verdict {
        let failed = v.access.status == .failed || v.passive.status == .failed || v.signer.status == .untrusted
            || v.chip.status == .failed || v.active.status == .failed || v.consistency.status == .failed
        if failed { return .rejected }
        let chipOK = v.chip.status == .passed || v.chip.status == .notSupported
        let activeOK = v.active.status == .passed || v.active.status == .notSupported
        let provedSomething = v.chip.status == .passed || v.active.status == .passed
        if v.passive.status == .passed && v.signer.status == .trusted && v.access.status == .passed
            && v.consistency.status == .passed && chipOK && activeOK && provedSomething {
            return .genuine
        }
        return .unverified
    }

    // MARK: - JSON

    enum Keys: String, CodingKey { case simulated, reader, atr, access, document, citizen, photo, verification, verdict, stats, identity, readAt }
    enum IdentityKeys: String, CodingKey { case idNumber, documentNumber, sodSHA256, documentSignerSerialNumber }
    enum VerificationKeys: String, CodingKey { case access, passive, signer, chip, active, consistency }
    enum PassiveKeys: String, CodingKey { case status, code, detail, dataGroups, hashAlgorithm, signatureAlgorithm }
    enum SignerKeys: String, CodingKey { case status, code, detail, subject, issuer, serialNumber, warnings }
    enum ChipKeys: String, CodingKey { case status, code, detail, algorithm }
    enum AccessCheckKeys: String, CodingKey { case status, code, detail, `protocol` }
    enum ConsistencyKeys: String, CodingKey { case status, code, problems, warnings }
    enum DocumentKeys: String, CodingKey { case documentCode, issuingState, documentNumber, dateOfBirth, dateOfExpiry, sex, name, mrz }
    enum CitizenKeys: String, CodingKey {
        case idNumber, fullName, dateOfBirth, sex, nationality, ethnicity, religion, placeOfOrigin, placeOfResidence,
             identifyingMarks, dateOfIssue, dateOfExpiry, fatherName, motherName, spouseName, oldIdNumber
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        if simulated { try c.encode(true, forKey: .simulated) }
        try c.encode(reader, forKey: .reader)
        try c.encode(atr, forKey: .atr)
        try c.encode(access, forKey: .access)
        if let d = document {
            var dc = c.nestedContainer(keyedBy: DocumentKeys.self, forKey: .document)
            try dc.encode(d.documentCode, forKey: .documentCode)
            try dc.encode(d.issuingState, forKey: .issuingState)
            try dc.encode(d.documentNumber, forKey: .documentNumber)
            try dc.encode(d.dateOfBirth, forKey: .dateOfBirth)
            try dc.encode(d.dateOfExpiry, forKey: .dateOfExpiry)
            try dc.encode(d.sex, forKey: .sex)
            try dc.encode(d.name, forKey: .name)
            try dc.encode(d.mrz, forKey: .mrz)
        } else {
            try c.encodeNil(forKey: .document)
        }
        if let z = citizen {
            var zc = c.nestedContainer(keyedBy: CitizenKeys.self, forKey: .citizen)
            let values: [(CitizenKeys, String?)] = [
                (.idNumber, z.idNumber), (.fullName, z.fullName), (.dateOfBirth, z.dateOfBirth), (.sex, z.sex),
                (.nationality, z.nationality), (.ethnicity, z.ethnicity), (.religion, z.religion), (.placeOfOrigin, z.placeOfOrigin),
                (.placeOfResidence, z.placeOfResidence), (.identifyingMarks, z.identifyingMarks), (.dateOfIssue, z.dateOfIssue),
                (.dateOfExpiry, z.dateOfExpiry), (.fatherName, z.fatherName), (.motherName, z.motherName),
                (.spouseName, z.spouseName), (.oldIdNumber, z.oldIdNumber),
            ]
            for (k, v) in values { try zc.encode(v, forKey: k) }
        } else {
            try c.encodeNil(forKey: .citizen)
        }
        if let p = photo { try c.encode(p, forKey: .photo) } else { try c.encodeNil(forKey: .photo) }
        var vc = c.nestedContainer(keyedBy: VerificationKeys.self, forKey: .verification)
        var ac = vc.nestedContainer(keyedBy: AccessCheckKeys.self, forKey: .access)
        try ac.encode(verification.access.status, forKey: .status)
        try ac.encode(verification.access.code, forKey: .code)
        try ac.encode(verification.access.detail, forKey: .detail)
        try ac.encode(verification.access.protocol, forKey: .protocol)
        var pc = vc.nestedContainer(keyedBy: PassiveKeys.self, forKey: .passive)
        try pc.encode(verification.passive.status, forKey: .status)
        try pc.encode(verification.passive.code, forKey: .code)
        try pc.encode(verification.passive.detail, forKey: .detail)
        try pc.encode(verification.passive.dataGroups, forKey: .dataGroups)
        try pc.encode(verification.passive.hashAlgorithm, forKey: .hashAlgorithm)
        try pc.encode(verification.passive.signatureAlgorithm, forKey: .signatureAlgorithm)
        var sc = vc.nestedContainer(keyedBy: SignerKeys.self, forKey: .signer)
        try sc.encode(verification.signer.status, forKey: .status)
        try sc.encode(verification.signer.code, forKey: .code)
        try sc.encode(verification.signer.warnings, forKey: .warnings)
        try sc.encode(verification.signer.detail, forKey: .detail)
        try sc.encode(verification.signer.subject, forKey: .subject)
        try sc.encode(verification.signer.issuer, forKey: .issuer)
        try sc.encode(verification.signer.serialNumber, forKey: .serialNumber)
        for (key, r) in [(VerificationKeys.chip, verification.chip), (.active, verification.active)] {
            var cc = vc.nestedContainer(keyedBy: ChipKeys.self, forKey: key)
            try cc.encode(r.status, forKey: .status)
            try cc.encode(r.code, forKey: .code)
            try cc.encode(r.detail, forKey: .detail)
            try cc.encode(r.algorithm, forKey: .algorithm)
        }
        var kc = vc.nestedContainer(keyedBy: ConsistencyKeys.self, forKey: .consistency)
        try kc.encode(verification.consistency.status, forKey: .status)
        try kc.encode(verification.consistency.code, forKey: .code)
        try kc.encode(verification.consistency.problems, forKey: .problems)
        try kc.encode(verification.consistency.warnings, forKey: .warnings)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(stats, forKey: .stats)
        var ic = c.nestedContainer(keyedBy: IdentityKeys.self, forKey: .identity)
        try ic.encode(identity.idNumber, forKey: .idNumber)
        try ic.encode(identity.documentNumber, forKey: .documentNumber)
        try ic.encode(identity.sodSHA256, forKey: .sodSHA256)
        try ic.encode(identity.documentSignerSerialNumber, forKey: .documentSignerSerialNumber)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        try c.encode(f.string(from: readAt), forKey: .readAt)
    }
}
