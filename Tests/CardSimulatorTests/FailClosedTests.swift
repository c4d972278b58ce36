import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import Testing

/// A clone or a hostile chip cannot turn itself into "unverified" or a read error: every such card
/// ends `rejected`, with the failing check's stable code. In-process; the same faults run through
/// pcscd in EndToEndTests.
struct FailClosedTests {
    static func read(_ spec: String...) async throws -> CardReadout {
        var f = CardFaults()
        for s in spec { try f.apply(s) }
        return try await VerificationTests.read(f)
    }

    @Test func genuineCardCarriesPassingCodes() async throws {
        let r = try await VerificationTests.read()
        let v = r.verification
        #expect(v.access.code == .accessProtocolSigned)
        #expect(v.access.status == .passed)
        #expect(v.passive.code == .sodVerified)
        #expect(v.signer.code == .signerTrusted)
        #expect(v.chip.code == .chipAuthenticated)
        #expect(v.active.code == .activeAuthenticated)
        #expect(v.consistency.code == .consistent)
        #expect(r.citizen?.sex == "Nam")
        #expect(r.document?.sex == "M")
        #expect(r.verdict == .genuine)
    }

    @Test(arguments: [14, 15])
    func signedDataGroupTheCardCannotServeIsRejected(dg: Int) async throws {
        let r = try await Self.read("withhold-dg=\(dg)")
        #expect(r.verification.passive.status == .failed)
        #expect(r.verification.passive.code == .dataGroupMissing)
        #expect(r.verification.passive.dataGroups["DG\(dg)"] == .notRead)
        let mechanism = dg == 14 ? r.verification.chip : r.verification.active
        #expect(mechanism.status == .skipped)
        #expect(mechanism.code == .dataGroupMissing)
        #expect(r.verdict == .rejected)
    }

    @Test func refusedDataGroupIsRejected() async throws {
        let r = try await Self.read("deny-dg=15")
        #expect(r.verification.passive.code == .dataGroupMissing)
        #expect(r.verdict == .rejected)
    }

    /// DG3/DG4 answer 6982 (EAC) on every Vietnamese card: that alone never rejects.
    @Test func terminalAuthenticationGroupsMayBeUnread() async throws {
        let r = try await VerificationTests.read()
        #expect(r.verification.passive.dataGroups["DG3"] == .notRead)
        #expect(r.verdict == .genuine)
    }

    @Test(arguments: [13, 2])
    func servedButUnsignedDataGroupIsRejected(dg: Int) async throws {
        let r = try await Self.read("unsigned-dg=\(dg)")
        #expect(r.verification.passive.status == .failed)
        #expect(r.verification.passive.code == .dataGroupNotSigned)
        #expect(r.verdict == .rejected)
    }

    /// A clone that cannot prove the DG14 key fails before its data is read.
    @Test func cloneFailsChipAuthenticationBeforeItsDataIsRead() async throws {
        let r = try await Self.read("ca-key-mismatch")
        #expect(r.verification.chip.status == .failed)
        #expect(r.verification.chip.code == .chipKeyMismatch)
        #expect(r.citizen == nil)
        #expect(r.photo == nil)
        #expect(r.files[.dataGroup(13)] == nil)
        #expect(r.verification.passive.code == .readAborted)
        #expect(r.verdict == .rejected)
    }

    @Test func unusableChipAuthenticationKeyFailsTheCheckNotTheRead() async throws {
        let r = try await Self.read("ca-bad-key")
        #expect(r.verification.chip.status == .failed)
        #expect(r.verification.chip.code == .chipAuthenticationFailed)
        #expect(r.verdict == .rejected)
    }

    @Test func unprotectedStatusToInternalAuthenticateFailsActiveAuthentication() async throws {
        let r = try await Self.read("aa-plain-status")
        #expect(r.verification.active.status == .failed)
        #expect(r.verification.active.code == .activeAuthenticationFailed)
        #expect(r.verification.chip.status == .passed)
        #expect(r.verdict == .rejected)
    }

    @Test func activeAuthenticationCloneHasItsOwnCode() async throws {
        let r = try await Self.read("aa-key-mismatch")
        #expect(r.verification.active.code == .activeSignatureInvalid)
        #expect(r.verdict == .rejected)
    }

    /// EF.CardAccess is unsigned: a protocol the signed DG14 does not list is a downgrade.
    @Test func paceProtocolMissingFromSignedSecurityInfosIsADowngrade() async throws {
        let r = try await Self.read("pace-downgrade")
        #expect(r.access.method == "PACE")
        #expect(r.verification.access.status == .failed)
        #expect(r.verification.access.code == .downgrade)
        #expect(r.verification.passive.status == .passed)
        #expect(r.verdict == .rejected)
    }

    /// Keys EF.SOD does not vouch for are not run: the mechanism is skipped, PA has already rejected.
    @Test func keysWithoutASignedSODAreSkippedNotPassed() async throws {
        let r = try await Self.read("corrupt-sod-signature")
        #expect(r.verification.passive.code == .sodSignatureInvalid)
        #expect(r.verification.chip.status == .skipped)
        #expect(r.verification.chip.code == .keyNotSigned)
        #expect(r.verification.active.status == .skipped)
        #expect(r.verification.active.code == .keyNotSigned)
        #expect(r.verdict == .rejected)
    }

    /// Nothing is genuine unless every check ran and passed.
    @Test func verdictIsFailClosed() async throws {
        let good = try await VerificationTests.read().verification
        #expect(CardReadout.verdict(good) == .genuine)
        var v = good
        v.access = AccessCheckResult(status: .skipped, code: .keyNotSigned, detail: "", protocol: "BAC")
        #expect(CardReadout.verdict(v) == .unverified)
        v = good
        v.chip = ChipCheckResult(status: .skipped, code: .keyNotSigned, detail: "")
        #expect(CardReadout.verdict(v) == .unverified)
        v.active = ChipCheckResult(status: .notSupported, code: .notSupported, detail: "")
        v.chip = ChipCheckResult(status: .notSupported, code: .notSupported, detail: "")
        #expect(CardReadout.verdict(v) == .unverified)
        v = good
        v.consistency.status = .skipped
        #expect(CardReadout.verdict(v) == .unverified)
        v = good
        v.access = AccessCheckResult(status: .failed, code: .downgrade, detail: "", protocol: "BAC")
        #expect(CardReadout.verdict(v) == .rejected)
    }

    @Test func everyCodeIsStable() {
        // Codes are a contract (README "Check codes"): renaming one breaks stations' scripts.
        let names = Set(CheckCode.allCases.map(\.rawValue))
        for required in ["sodSignatureInvalid", "dataGroupHashMismatch", "dataGroupMissing", "dataGroupNotSigned", "signerUnknown",
                         "signerRevoked", "signerNotValidAtSigning", "crlStale", "chipKeyMismatch", "activeSignatureInvalid", "downgrade"] {
            #expect(names.contains(required), "\(required)")
        }
    }
}
