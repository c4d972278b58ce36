import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import MRTDCrypto
import Testing

/// Verification of simulated cards with injected faults: each yields the right per-check status
/// and verdict. In-process for speed; the same flows run through pcscd in EndToEndTests.
struct VerificationTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-29T00:00:00Z")!

    static func trust(_ pki: TestPKI) throws -> TrustStore {
        var t = TrustStore()
        try t.importBytes(pki.cscaCertificate, name: "csca.der", at: now)
        try t.importBytes(pki.crl, name: "csca.crl", at: now)
        return t
    }

    static func read(_ faults: CardFaults = CardFaults(), trust: TrustStore? = nil, profile: CardProfile = .sample) async throws -> CardReadout {
        let chip = try SimulatedChip(profile: profile, faults: faults)
        let genuinePKI = try TestPKI(seed: profile.seed, flavor: profile.pkiFlavor, revokeDocumentSigner: faults.revokedSigner)
        let store = try trust ?? Self.trust(genuinePKI)
        return try await CardReader(options: .init(trust: store, date: now))
            .read(channel: InProcessChannel(card: chip), key: .can(chip.card.can), reader: "in-process", atr: chip.atr)
    }

    @Test func genuineCard() async throws {
        let r = try await Self.read()
        #expect(r.verification.passive.status == .passed)
        #expect(r.verification.passive.dataGroups == ["DG1": .match, "DG2": .match, "DG3": .notRead, "DG13": .match, "DG14": .match, "DG15": .match])
        #expect(r.verification.signer.status == .trusted, "\(r.verification.signer.detail)")
        #expect(r.verification.chip.status == .passed, "\(r.verification.chip.detail)")
        #expect(r.verification.active.status == .passed, "\(r.verification.active.detail)")
        #expect(r.verification.consistency.status == .passed, "\(r.verification.consistency.problems)")
        #expect(r.verdict == .genuine)
        #expect(r.citizen?.fullName == "Nguyễn Văn An")
        #expect(r.document?.dateOfExpiry == "2039-02-01")
        #expect(r.verification.passive.signatureAlgorithm == "ECDSA with SHA-384")
    }

    @Test func dataGroupAlteredAfterSigning() async throws {
        var f = CardFaults()
        f.alteredDataGroups = [13]
        let r = try await Self.read(f)
        #expect(r.verification.passive.status == .failed)
        #expect(r.verification.passive.dataGroups["DG13"] == .mismatch)
        #expect(r.verification.passive.dataGroups["DG1"] == .match)
        #expect(r.verdict == .rejected)
    }

    @Test func corruptedSODSignature() async throws {
        var f = CardFaults()
        f.corruptSODSignature = true
        let r = try await Self.read(f)
        #expect(r.verification.passive.status == .failed)
        #expect(r.verification.passive.detail.contains("does not verify"))
        // Without a verified SOD, DG14/DG15 keys prove nothing: the checks are skipped, not passed.
        #expect(r.verification.chip.status == .skipped)
        #expect(r.verification.active.status == .skipped)
        #expect(r.verdict == .rejected)
    }

    @Test func signerFromAnUnknownCSCA() async throws {
        var f = CardFaults()
        f.unknownSigner = true
        let r = try await Self.read(f)
        #expect(r.verification.passive.status == .passed)
        #expect(r.verification.signer.status == .unknown)
        #expect(r.verdict == .unverified)
    }

    @Test func revokedSigner() async throws {
        var f = CardFaults()
        f.revokedSigner = true
        let r = try await Self.read(f)
        #expect(r.verification.signer.status == .untrusted)
        #expect(r.verification.signer.code == .signerRevoked)
        #expect(r.verdict == .rejected)
    }

    @Test func activeAuthenticationKeyMismatch() async throws {
        var f = CardFaults()
        f.activeAuthenticationKeyMismatch = true
        let r = try await Self.read(f)
        #expect(r.verification.passive.status == .passed)
        #expect(r.verification.active.status == .failed)
        #expect(r.verdict == .rejected)
    }

    @Test func chipAuthenticationKeyMismatch() async throws {
        var f = CardFaults()
        f.chipAuthenticationKeyMismatch = true
        let r = try await Self.read(f)
        #expect(r.verification.chip.status == .failed)
        #expect(r.verdict == .rejected)
    }

    @Test func dg1DG13Inconsistency() async throws {
        var f = CardFaults()
        f.dg1DG13Inconsistent = true
        let r = try await Self.read(f)
        #expect(r.verification.passive.status == .passed)
        #expect(r.verification.consistency.status == .failed)
        #expect(r.verification.consistency.problems.contains("DG1 and DG13 dates of birth differ"))
        #expect(r.verdict == .rejected)
    }

    @Test func trustGivenOnlyThroughAMasterList() async throws {
        let pki = try TestPKI()
        var store = TrustStore(acceptSelfCertifiedLists: true)  // the operator's explicit choice, as `--trust`
        try store.importBytes(try pki.masterList(), name: "vn.ml", at: Self.now)
        #expect(store.anchors.count == 1)
        let r = try await Self.read(trust: store)
        #expect(r.verification.signer.status == .trusted)
        #expect(r.verdict == .genuine)
    }

    @Test func masterListWithABadSignatureIsRejected() throws {
        let pki = try TestPKI()
        var store = TrustStore()
        #expect(throws: TrustStoreError.self) { try store.importBytes(try pki.masterList(corruptSignature: true), name: "bad.ml", at: Self.now) }
        #expect(store.anchors.isEmpty)
    }

    @Test func rsaPSSSignerVerifies() async throws {
        var profile = CardProfile.sample
        profile.pkiFlavor = .rsa
        profile.activeAuthentication = .ecdsaP256
        let r = try await Self.read(profile: profile)
        #expect(r.verification.passive.signatureAlgorithm == "RSASSA-PSS SHA-256, MGF1 SHA-256, salt 32")
        #expect(r.verification.signer.status == .trusted, "\(r.verification.signer.detail)")
        #expect(r.verification.active.status == .passed, "\(r.verification.active.detail)")
        #expect(r.verification.active.algorithm == "ECDSA with SHA-256")
        #expect(r.verdict == .genuine)
    }

    @Test func explicitParameterCSCACertificateParsesAndSelfVerifies() throws {
        let pki = try TestPKI()
        let csca = try Certificate(der: pki.cscaCertificate)
        #expect(csca.isSelfSigned)
        guard case let .ec(domain, _) = csca.publicKeyInfo.key, case let .ec(_, named) = domain else {
            Issue.record("not an EC key")
            return
        }
        #expect(named == .brainpoolP512r1)
        #expect(csca.signatureAlgorithm == OID.ecdsaWithSHA512)
        #expect(csca.keyUsage == [5, 6])
        #expect(csca.isCA == true)
    }

    @Test func jsonHasEveryContractKey() async throws {
        let r = try await Self.read()
        let data = try JSONEncoder().encode(r)
        let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(obj.keys) == ["reader", "atr", "access", "document", "citizen", "photo", "verification", "verdict", "stats", "identity", "readAt"])
        let identity = try #require(obj["identity"] as? [String: Any])
        #expect(identity["idNumber"] as? String == "001099012345")
        #expect(identity["documentNumber"] as? String == "099012345")
        #expect((identity["sodSHA256"] as? String)?.count == 64)
        let citizen = try #require(obj["citizen"] as? [String: Any])
        #expect(citizen.keys.count == 16)
        #expect(citizen["spouseName"] is NSNull)
        let v = try #require(obj["verification"] as? [String: Any])
        #expect(Set(v.keys) == ["access", "passive", "signer", "chip", "active", "consistency"])
        for check in ["access", "passive", "signer", "chip", "active", "consistency"] {
            #expect((v[check] as? [String: Any])?["code"] is String, "\(check)")
        }
        #expect((v["signer"] as? [String: Any])?["warnings"] is [Any])
        let phases = try #require((obj["stats"] as? [String: Any])?["phases"] as? [String: Any])
        #expect(Set(phases.keys) == ["access", "chipAuthentication", "fileReading", "passiveAuthentication", "activeAuthentication"])
        for (phase, ms) in phases { #expect((ms as? Double).map { $0 >= 0 } == true, "\(phase)") }
        #expect(obj["simulated"] == nil)
    }
}

/// PACE with Chip Authentication Mapping: the chip proves its static key inside PACE.
struct ChipAuthenticationMappingTests {
    static func camProfile() -> CardProfile {
        var p = CardProfile.sample
        p.paceMapping = "CAM"
        return p
    }

    @Test func camCardIsGenuineWithoutASeparateChipAuthentication() async throws {
        let r = try await VerificationTests.read(profile: Self.camProfile())
        #expect(r.access.method == "PACE")
        #expect(r.verification.chip.status == .passed, "\(r.verification.chip.detail)")
        #expect(r.verification.chip.algorithm == "PACE-CAM (AES-128)")
        #expect(r.verdict == .genuine)
    }

    @Test func cloneFailsCAM() async throws {
        var f = CardFaults()
        f.chipAuthenticationKeyMismatch = true
        let r = try await VerificationTests.read(f, profile: Self.camProfile())
        #expect(r.verification.chip.status == .failed)
        #expect(r.verdict == .rejected)
    }

    @Test func selectionPrefersCAM() throws {
        let infos = SecurityInfos([.pace(PACEInfo(protocolOID: OID.paceECDHGM + ".4", parameterID: 13)),
                                   .pace(PACEInfo(protocolOID: OID.paceECDHCAM + ".2", parameterID: 13))])
        #expect(try PACE.select(from: infos).paceProtocol.mapping == .chipAuthentication)
    }
}

/// Chip Authentication in every suite the reader supports, against the simulated chip.
struct ChipAuthenticationSuiteTests {
    @Test(arguments: ["ECDH-AES-128", "ECDH-3DES", "DH-AES-128", "DH-3DES"])
    func suitePassesAndDetectsClones(suite: String) async throws {
        var p = CardProfile.sample
        p.chipAuthentication = suite
        let r = try await VerificationTests.read(profile: p)
        #expect(r.verification.chip.status == .passed, "\(suite): \(r.verification.chip.detail)")
        #expect(r.verdict == .genuine)
        var f = CardFaults()
        f.chipAuthenticationKeyMismatch = true
        let clone = try await VerificationTests.read(f, profile: p)
        #expect(clone.verification.chip.status == .failed, "\(suite)")
    }
}

struct DocumentDateTests {
    @Test func centuryComesFromDG13WhenTheMRZIsAmbiguous() async throws {
        var p = CardProfile.sample
        p.citizen.idNumber = "001025012345"
        p.citizen.dateOfBirth = "1925-03-04"
        p.citizen.dateOfExpiry = nil
        let r = try await VerificationTests.read(profile: p)
        #expect(r.document?.dateOfBirth == "1925-03-04")
        #expect(r.document?.dateOfExpiry == nil)
        #expect(r.citizen?.dateOfExpiry == nil)
        #expect(r.verification.consistency.status == .passed, "\(r.verification.consistency)")
    }
}
