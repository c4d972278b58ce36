import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import Station
import Testing

/// Phases and recording of one read, in-process (no pcscd needed).
struct StationPhaseTests {
    static func read<R: ReadoutRecorder>(_ station: CardStation<R>, _ chip: SimulatedChip, key: AccessKeySource) async -> (ReadOutcome<R.Record>, [ReadProgress]) {
        let seen = Locked<[ReadProgress]>([])
        let outcome = await station.read(channel: InProcessChannel(card: chip), card: PresentedCard(reader: "in-process", atr: chip.atr),
                                         key: key, progress: { p in seen.withLock { $0.append(p) } })
        return (outcome, seen.current)
    }

    /// Consecutive reports of one phase collapsed into one.
    static func phases(_ reports: [ReadProgress]) -> [ReadProgress.Phase] {
        var out = [ReadProgress.Phase]()
        for r in reports where out.last != r.phase { out.append(r.phase) }
        return out
    }

    @Test func phasesAreReportedInReadOrderEndingWithLinking() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let recorder = CountingRecorder()
        let station = CardStation(options: StationOptions(trust: try VirtualSlots.trust(for: chip), now: { VirtualSlots.now }), recorder: recorder)
        let (outcome, reports) = await Self.read(station, chip, key: .can(chip.card.can))
        #expect(outcome.error == nil)
        #expect(outcome.readout?.verdict == .genuine)
        #expect(outcome.record == "event-1@in-process")
        #expect(await recorder.calls == 1)

        // The sample card: PACE, DG14 + Chip Authentication, EF.SOD, EF.COM, DG1, DG2, DG13, DG15.
        let dataGroups = 4
        let files = 3 + dataGroups
        var expected: [ReadProgress.Phase] = [.accessControl, .readingFile(number: 1, count: nil), .chipAuthentication,
                                              .readingFile(number: 2, count: nil), .readingFile(number: 3, count: nil)]
        expected += (4...files).map { .readingFile(number: $0, count: files) }
        expected += [.passiveAuthentication, .activeAuthentication, .linking]
        #expect(Self.phases(reports) == expected)

        // Each file phase names its file; its byte reports reach the file's length.
        let sod = reports.filter { $0.phase == .readingFile(number: 2, count: nil) }
        #expect(sod.allSatisfy { $0.file == .sod })
        #expect(sod.last?.bytesRead == chip.card.files[.sod]?.count)
        #expect(sod.last?.fileLength == chip.card.files[.sod]?.count)
    }

    @Test func aFailedReadIsNotRecorded() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let recorder = CountingRecorder()
        let station = CardStation(options: StationOptions(trust: try VirtualSlots.trust(for: chip)), recorder: recorder)
        let (outcome, reports) = await Self.read(station, chip, key: .can("111111"))
        #expect(outcome.error?.code == .accessDenied)
        #expect(outcome.record == nil)
        #expect(await recorder.calls == 0)
        #expect(!Self.phases(reports).contains(.linking))
    }

    @Test func aResolverChoosesTheKeyPerCardAndNilIsNoAccessKey() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let station = CardStation(options: StationOptions(trust: try VirtualSlots.trust(for: chip)))
        let can = chip.card.can
        let asked = Locked<[String]>([])
        let resolver = AccessKeySource.resolver { card in
            asked.withLock { $0.append(card.reader) }
            return .can(can)
        }
        let (ok, _) = await Self.read(station, chip, key: resolver)
        #expect(ok.readout != nil)
        #expect(asked.current == ["in-process"])
        let (none, reports) = await Self.read(station, chip, key: .resolver { _ in nil })
        #expect(none.error?.code == .noAccessKey)
        #expect(reports.isEmpty, "nothing was sent to the chip")
    }

    @Test func aFailingRecorderKeepsTheReadout() async throws {
        struct Failing: ReadoutRecorder {
            struct Down: Error {}
            func record(_ readout: CardReadout, context: ReadoutContext) async throws -> Int? { throw Down() }
        }
        let chip = try SimulatedChip(profile: .sample)
        let station = CardStation(options: StationOptions(trust: try VirtualSlots.trust(for: chip)), recorder: Failing())
        let (outcome, _) = await Self.read(station, chip, key: .can(chip.card.can))
        #expect(outcome.error?.code == .recordFailed)
        #expect(outcome.readout != nil)
    }
}
