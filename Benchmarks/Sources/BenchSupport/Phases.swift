import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import MRTDCrypto

/// A full read split into the phases of issue 13, driven through the library's building blocks in a
/// fixed order (access, file reading, PA, CA, AA), so that each phase can be measured on its own
/// while the phases before it are replayed unmeasured.
public enum PhasedRead {
    public enum Phase: String, CaseIterable, Sendable {
        case access = "PACE"
        case fileReading = "file reading + SM"
        case passiveAuthentication = "PA"
        case chipAuthentication = "CA"
        case activeAuthentication = "AA"
    }

    /// Runs every phase over `channel`; `around(phase, begin)` is called before (true) and after
    /// (false) each one.
    public static func run(channel: any CardChannel, random: any RandomSource, trust: TrustStore,
                           around: (Phase, Bool) -> Void = { _, _ in }) async throws {
        around(.access, true)
        let cardAccess = try SecurityInfos(der: try await FileReader(channel: channel).read(.cardAccess), file: "EF.CardAccess")
        let selection = try PACE.select(from: cardAccess)
        let (sm, _) = try await PACE.establish(over: channel, key: .can(Fixture.can), selection: selection, random: random)
        let sel = try await sm.transmit(CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: ReadSession.applicationID))
        guard sel.status.isSuccess else { throw BenchmarkSetupError("SELECT application: \(sel.status)") }
        around(.access, false)

        around(.fileReading, true)
        let reader = FileReader(channel: sm)
        var files = [LDSFileID: [UInt8]]()
        files[.sod] = try await reader.read(.sod)
        let sod = try SOD(files[.sod]!)
        for n in sod.dataGroups where !ReadSession.terminalAuthenticationDataGroups.contains(n) {
            files[.dataGroup(n)] = try await reader.read(.dataGroup(n))
        }
        around(.fileReading, false)

        around(.passiveAuthentication, true)
        let (pa, signer, _) = PassiveAuthentication.verify(sod: sod, files: files, trust: trust, at: Fixture.date)
        around(.passiveAuthentication, false)
        guard pa.status == .passed, signer.status == .trusted else { throw BenchmarkSetupError("PA \(pa.status), signer \(signer.status)") }

        let dg14 = try DG14(files[.dataGroup(14)] ?? [])
        around(.chipAuthentication, true)
        let (ca, newSM) = try await ChipAuthentication.run(over: sm, dg14: dg14, random: random)
        around(.chipAuthentication, false)
        guard ca.status == .passed else { throw BenchmarkSetupError("CA \(ca.status): \(ca.detail)") }

        let dg15 = try DG15(files[.dataGroup(15)] ?? [])
        around(.activeAuthentication, true)
        let aa = try await ActiveAuthentication.run(over: newSM ?? sm, dg15: dg15, dg14: dg14, random: random)
        around(.activeAuthentication, false)
        guard aa.status == .passed else { throw BenchmarkSetupError("AA \(aa.status): \(aa.detail)") }
    }

    /// The phased read recorded once against the in-process chip.
    public static func record() async throws -> RecordedRead {
        let card = try PersonalizedCard.personalize(Fixture.profile)
        let chip = SimulatedChip(card: card, random: SeededRandom("chip"))
        let recorder = RecordingChannel(InProcessChannel(card: chip))
        let trust = try Fixture.trust(card.pki)
        try await run(channel: recorder, random: SeededRandom("reader"), trust: trust)
        return RecordedRead(exchanges: recorder.exchanges, trust: trust, atr: chip.atr, limits: .extended)
    }
}

extension RecordedRead {
    /// Replays the phased read; `around` as in `PhasedRead.run`.
    public func replayPhases(around: (PhasedRead.Phase, Bool) -> Void) async throws {
        let channel = TranscriptChannel(exchanges, limits: limits)
        try await PhasedRead.run(channel: channel, random: SeededRandom("reader"), trust: trust, around: around)
    }
}
