@testable import CCCD
@testable import MRTD
import CardSimulator
import Foundation
import ISO7816
import Testing

/// Found in a hostile review of the fail-closed read path: ways a clone or a broken chip could end
/// as a read error (exit 4) or `unverified` instead of `rejected`, or slip past the downgrade check.
/// In-process; each fault models the chip's behaviour.
struct HostileChipVerdictTests {
    static func read(_ spec: [String], profile: CardProfile = .sample, mrz: Bool = false) async throws -> CardReadout {
        var f = CardFaults()
        for s in spec { try f.apply(s) }
        let chip = try SimulatedChip(profile: profile, faults: f)
        let pki = try TestPKI(seed: profile.seed, flavor: profile.pkiFlavor)
        return try await CardReader(options: .init(trust: try VerificationTests.trust(pki), date: VerificationTests.now))
            .read(channel: InProcessChannel(card: chip), key: mrz ? chip.card.mrzKey : .can(chip.card.can),
                  reader: "in-process", atr: chip.atr)
    }

    /// A signed data group answered with a status other than 6A82/6982 (here 6F00) is a data group
    /// the card does not serve: Passive Authentication fails, the read does not.
    @Test(arguments: [2, 13, 14, 15])
    func signedDataGroupAnsweredWithAnErrorIsRejected(dg: Int) async throws {
        let r = try await Self.read(["failing-dg=\(dg)"])
        #expect(r.verification.passive.status == .failed)
        #expect(r.verification.passive.code == .dataGroupMissing)
        #expect(r.verification.passive.dataGroups["DG\(dg)"] == .notRead)
        #expect(r.verdict == .rejected)
        if dg == 14 {
            #expect(r.verification.chip.status == .skipped)
            #expect(r.verification.chip.code == .dataGroupMissing)
        }
    }

    /// A signed data group whose header does not parse cannot be read: rejected, not exit 4.
    @Test(arguments: [14, 15])
    func signedDataGroupWithAnUnparsableHeaderIsRejected(dg: Int) async throws {
        let r = try await Self.read(["garbled-dg=\(dg)"])
        #expect(r.verification.passive.code == .dataGroupMissing)
        #expect(r.verification.passive.dataGroups["DG\(dg)"] == .notRead)
        #expect(r.verdict == .rejected)
    }

    /// PACE-CAM is checked against EF.CardSecurity's key: a chip that withholds it fails Chip
    /// Authentication (rejected) — it neither ends the read nor falls back to BAC.
    @Test(arguments: [false, true])
    func camChipWithoutCardSecurityIsRejected(mrz: Bool) async throws {
        var p = CardProfile.sample
        p.paceMapping = "CAM"
        let genuine = try await Self.read([], profile: p, mrz: mrz)
        #expect(genuine.verdict == .genuine, "\(genuine.verification)")
        let r = try await Self.read(["withhold-card-security"], profile: p, mrz: mrz)
        #expect(r.access.method == "PACE")
        #expect(r.verification.chip.status == .failed)
        #expect(r.verification.chip.code == .chipAuthenticationFailed)
        #expect(r.verdict == .rejected)
    }

    /// EF.CardAccess is unsigned: a PACEInfo without parameter ID (the domain spelled out beside it)
    /// is not the protocol DG14 signs when DG14 names a parameter ID.
    @Test func unnamedPACEDomainIsADowngradeWhenDG14NamesOne() async throws {
        let r = try await Self.read(["pace-unnamed-domain"])
        #expect(r.access.method == "PACE")
        #expect(r.verification.passive.status == .passed)
        #expect(r.verification.access.status == .failed)
        #expect(r.verification.access.code == .downgrade)
        #expect(r.verdict == .rejected)
    }

    /// BAC on a card whose signed DG14 lists PACE is a downgrade.
    @Test func bacOnACardWhoseSignedDG14ListsPACEIsADowngrade() async throws {
        let r = try await Self.read(["hide-pace"], mrz: true)
        #expect(r.access.method == "BAC")
        #expect(r.verification.chip.status == .passed)
        #expect(r.verification.access.code == .downgrade)
        #expect(r.verdict == .rejected)
    }
}

/// A response without a status word is the chip answering wrongly, not a broken link, when it
/// comes where only the genuine chip can answer: under the Chip Authentication keys, and to
/// INTERNAL AUTHENTICATE. Rejected, never exit 4.
struct ShortAnswerTests {
    @Test func cloneAnsweringWithoutStatusAfterChipAuthenticationIsRejected() async throws {
        let r = try await HostileChipVerdictTests.read(["ca-key-mismatch", "short-answer-after-ca"])
        #expect(r.verification.chip.status == .failed)
        #expect(r.verification.chip.code == .chipKeyMismatch)
        #expect(r.citizen == nil)
        #expect(r.verdict == .rejected)
    }

    @Test func activeAuthenticationAnsweredWithoutStatusFailsTheCheck() async throws {
        let r = try await HostileChipVerdictTests.read(["aa-short-answer"])
        #expect(r.verification.active.status == .failed)
        #expect(r.verification.active.code == .activeAuthenticationFailed)
        #expect(r.verdict == .rejected)
    }
}

/// The access check says "passed" only when signed SecurityInfos were there to check against (or the
/// card has none to sign): a DG14 that EF.SOD lists but the card does not serve leaves it `skipped`.
struct AccessCheckEvidenceTests {
    @Test(arguments: ["withhold-dg=14", "failing-dg=14"])
    func unservedDG14LeavesTheAccessCheckSkipped(fault: String) async throws {
        let r = try await HostileChipVerdictTests.read([fault])
        #expect(r.verification.access.status == .skipped)
        #expect(r.verification.access.code == .dataGroupMissing)
        #expect(r.verdict == .rejected)
    }
}

/// A read that stopped before EF.SOD is rejected whatever Chip Authentication reported before the stop.
struct AbortedReadTests {
    @Test func abortedReadIsRejectedEvenIfChipAuthenticationHadPassed() async throws {
        var readout = MRTDReadout(access: .bac, password: "MRZ", cardAccess: nil, files: [:], skipped: [:], sod: nil)
        readout.chipAuthentication = ChipCheckResult(status: .passed, code: .chipAuthenticated, detail: "MSE and GA answered 9000")
        let v = CardReader.aborted(readout)
        #expect(v.chip.status == .failed)
        #expect(CardReadout.verdict(v) == .rejected)
    }
}
