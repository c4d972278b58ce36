import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import PCSC
import SimulatorHarness
import Testing

/// Verification flows through pcscd and the virtual reader: the same cards and faults the
/// in-process suites use, on the real PC/SC stack.
@Suite(.serialized)
struct LiveVerificationTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-29T00:00:00Z")!

    static func read(_ profile: CardProfile = .sample, faults: CardFaults = CardFaults(), trust: TrustStore? = nil, key: AccessKey? = nil) async throws -> CardReadout {
        let chip = try SimulatedChip(profile: profile, faults: faults)
        var store = TrustStore()
        if let trust { store = trust } else {
            let pki = try TestPKI(seed: profile.seed, flavor: profile.pkiFlavor, revokeDocumentSigner: faults.revokedSigner)
            try store.importBytes(pki.cscaCertificate, name: "csca.der", at: now)
            try store.importBytes(pki.crl, name: "csca.crl", at: now)
        }
        return try await VirtualReader.withCard(chip, slot: 0) { reader in
            let channel = try await VirtualReader.channel(reader)
            return try await CardReader(options: .init(trust: store, date: now)).read(channel: channel, key: key ?? .can(chip.card.can), reader: reader, atr: channel.atr)
        }
    }

    struct Scenario: Sendable, CustomStringConvertible {
        var name: String
        var faults: CardFaults
        var verdict: CardReadout.Verdict
        var check: @Sendable (CardReadout.Verification) -> Bool
        var description: String { name }
    }

    static let scenarios: [Scenario] = {
        func f(_ edit: (inout CardFaults) -> Void) -> CardFaults { var x = CardFaults(); edit(&x); return x }
        return [
            Scenario(name: "genuine", faults: CardFaults(), verdict: .genuine) { $0.chip.status == .passed && $0.active.status == .passed },
            Scenario(name: "altered DG2", faults: f { $0.alteredDataGroups = [2] }, verdict: .rejected) { $0.passive.dataGroups["DG2"] == .mismatch },
            Scenario(name: "corrupt SOD signature", faults: f { $0.corruptSODSignature = true }, verdict: .rejected) { $0.passive.status == .failed },
            Scenario(name: "unknown signer", faults: f { $0.unknownSigner = true }, verdict: .unverified) { $0.signer.status == .unknown },
            Scenario(name: "revoked signer", faults: f { $0.revokedSigner = true }, verdict: .rejected) { $0.signer.status == .untrusted },
            Scenario(name: "AA key mismatch", faults: f { $0.activeAuthenticationKeyMismatch = true }, verdict: .rejected) { $0.active.status == .failed },
            Scenario(name: "CA key mismatch", faults: f { $0.chipAuthenticationKeyMismatch = true }, verdict: .rejected) {
                $0.chip.code == .chipKeyMismatch && $0.passive.code == .readAborted
            },
            Scenario(name: "DG1/DG13 inconsistent", faults: f { $0.dg1DG13Inconsistent = true }, verdict: .rejected) { $0.consistency.code == .dataInconsistent },
            // Clones and hostile chips: rejected with the failing check's code, never unverified or an error.
            Scenario(name: "clone without DG14", faults: f { $0.withheldDataGroups = [14] }, verdict: .rejected) { $0.passive.code == .dataGroupMissing },
            Scenario(name: "clone without DG15", faults: f { $0.withheldDataGroups = [15] }, verdict: .rejected) { $0.passive.code == .dataGroupMissing },
            Scenario(name: "DG15 refused", faults: f { $0.deniedDataGroups = [15] }, verdict: .rejected) { $0.passive.code == .dataGroupMissing },
            Scenario(name: "DG13 not signed", faults: f { $0.unsignedDataGroups = [13] }, verdict: .rejected) { $0.passive.code == .dataGroupNotSigned },
            Scenario(name: "CA key not on its curve", faults: f { $0.chipAuthenticationBadKey = true }, verdict: .rejected) { $0.chip.code == .chipAuthenticationFailed },
            Scenario(name: "AA unprotected status", faults: f { $0.activeAuthenticationPlainStatus = true }, verdict: .rejected) { $0.active.code == .activeAuthenticationFailed },
            Scenario(name: "PACE downgrade", faults: f { $0.paceDowngrade = true }, verdict: .rejected) { $0.access.code == .downgrade },
            Scenario(name: "DG15 answered 6F00", faults: f { $0.failingDataGroups = [15] }, verdict: .rejected) { $0.passive.code == .dataGroupMissing },
            Scenario(name: "DG14 header garbled", faults: f { $0.garbledDataGroups = [14] }, verdict: .rejected) { $0.passive.code == .dataGroupMissing },
            Scenario(name: "PACE domain unnamed in EF.CardAccess", faults: f { $0.paceUnnamedDomain = true }, verdict: .rejected) { $0.access.code == .downgrade },
        ]
    }()

    @Test(arguments: scenarios)
    func faultScenario(_ s: Scenario) async throws {
        let r = try await Self.read(faults: s.faults)
        #expect(r.verdict == s.verdict, "\(s.name)")
        #expect(s.check(r.verification), "\(s.name): \(r.verification)")
    }

    @Test func trustThroughAMasterListOnly() async throws {
        var store = TrustStore(acceptSelfCertifiedLists: true)
        try store.importBytes(try TestPKI().masterList(), name: "ml", at: Self.now)
        let r = try await Self.read(trust: store)
        #expect(r.verdict == .genuine)
    }

    @Test(arguments: ["GM", "IM", "CAM"])
    func paceMappings(mapping: String) async throws {
        var p = CardProfile.sample
        p.paceMapping = mapping
        let r = try await Self.read(p)
        #expect(r.verdict == .genuine, "\(mapping): \(r.verification)")
    }

    /// PACE-CAM without EF.CardSecurity: Chip Authentication fails (rejected), with a CAN or with MRZ
    /// data — no read error, no fallback to BAC over a resettable PC/SC channel.
    @Test(arguments: [false, true])
    func camWithoutCardSecurityIsRejected(mrz: Bool) async throws {
        var p = CardProfile.sample
        p.paceMapping = "CAM"
        var f = CardFaults()
        f.withholdCardSecurity = true
        let key = mrz ? try PersonalizedCard.personalize(p).mrzKey : nil
        let r = try await Self.read(p, faults: f, key: key)
        #expect(r.access.method == "PACE")
        #expect(r.verification.chip.code == .chipAuthenticationFailed)
        #expect(r.verdict == .rejected)
    }

    @Test func dhChipAuthenticationAndEcdsaActiveAuthentication() async throws {
        var p = CardProfile.sample
        p.chipAuthentication = "DH-3DES"
        p.activeAuthentication = .ecdsaP256
        p.pkiFlavor = .rsa
        let r = try await Self.read(p)
        #expect(r.verdict == .genuine, "\(r.verification)")
    }

    /// Personalise from a record, read through the virtual reader, and get every field back.
    @Test func profileRoundTrip() async throws {
        let record = CitizenRecord(
            idNumber: "079185012399", fullName: "Đặng Thị Ngọc Ánh", dateOfBirth: "1985-12-31", sex: "F",
            ethnicity: "Hoa", religion: "Phật giáo", placeOfOrigin: "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh",
            placeOfResidence: "Số 123/45 Đường Nguyễn Thị Minh Khai, Phường Phạm Ngũ Lão, Quận 1, Thành phố Hồ Chí Minh, Việt Nam — khu phố 7, tổ dân phố 15",
            identifyingMarks: "Sẹo chấm cách 2cm dưới đuôi mắt trái", dateOfIssue: "2024-07-01", dateOfExpiry: nil,
            fatherName: "Đặng Văn Hùng", motherName: "Lý Thị Mai", spouseName: "Trương Quốc Bảo", oldIdNumber: "023456789")
        #expect(record.placeOfResidence.utf8.count > 127)
        let json = try JSONEncoder().encode(CardProfile(citizen: record))
        let profile = try JSONDecoder().decode(CardProfile.self, from: json)
        let r = try await Self.read(profile, key: .can("012399"))
        let c = try #require(r.citizen)
        #expect(c.idNumber == record.idNumber)
        #expect(c.fullName == record.fullName)
        #expect(c.dateOfBirth == record.dateOfBirth)
        #expect(c.sex == (record.sex == "M" ? "Nam" : "Nữ"))
        #expect(c.nationality == record.nationality)
        #expect(c.ethnicity == record.ethnicity)
        #expect(c.religion == record.religion)
        #expect(c.placeOfOrigin == record.placeOfOrigin)
        #expect(c.placeOfResidence == record.placeOfResidence)
        #expect(c.identifyingMarks == record.identifyingMarks)
        #expect(c.dateOfIssue == record.dateOfIssue)
        #expect(c.dateOfExpiry == nil)
        #expect(c.fatherName == record.fatherName)
        #expect(c.motherName == record.motherName)
        #expect(c.spouseName == record.spouseName)
        #expect(c.oldIdNumber == record.oldIdNumber)
        #expect(r.document?.dateOfExpiry == nil)
        #expect(r.document?.name == "DANG THI NGOC ANH")
        #expect(r.document?.sex == "F")
        #expect(r.verification.consistency.status == .passed, "\(r.verification.consistency)")
        #expect(r.verdict == .genuine)
    }
}
