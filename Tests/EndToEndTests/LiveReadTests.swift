import CardSimulator
import CCCD
import ISO7816
import MRTD
import PCSC
import SimulatorHarness
import Testing

/// Reading the simulated Vietnamese card through pcscd and the vpcd virtual reader — the same path
/// a hardware reader takes. Serialised: the virtual slots are shared.
@Suite(.serialized)
struct LiveReadTests {
    static func read(_ chip: SimulatedChip, key: AccessKey, slot: Int = 0) async throws -> (MRTDReadout, APDUStatistics, TransportLimits) {
        try await VirtualReader.withCard(chip, slot: slot) { reader in
            let channel = try await VirtualReader.channel(reader)
            let traced = TracingChannel(channel)
            let (readout, _) = try await ReadSession(channel: traced, key: key).read()
            return (readout, traced.statistics, channel.limits)
        }
    }

    @Test func paceWithCANReadsEveryDataGroupThroughPCSC() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let (readout, stats, limits) = try await Self.read(chip, key: .can("012345"))
        #expect(limits.extendedLength)
        #expect(readout.access.name == "PACE")
        for (id, bytes) in chip.card.files where id != .com && id != .dataGroup(3) {
            #expect(readout.files[id] == bytes, "\(id)")
        }
        let dg13 = try DG13(try #require(readout.files[.dataGroup(13)]))
        #expect(dg13.fullName == "Nguyễn Văn An")
        #expect(dg13.placeOfResidence == "Số 1, Phố D, Phường E, Quận F, Hà Nội")
        // With extended length: EF.CardAccess (2), PACE (5), SELECT (1), DG14 (2), Chip
        // Authentication (MSE + GA: 2), then per file a header read by SFI and one read of the rest:
        // SOD, COM, DG1, DG2, DG13, DG15 = 6 files.
        #expect(stats.apdus == 2 + 5 + 1 + 2 + 2 + 6 * 2, "APDUs: \(stats.apdus)")
    }

    @Test func bacReadsEveryDataGroupThroughPCSC() async throws {
        var profile = CardProfile.sample
        profile.pace = false
        let chip = try SimulatedChip(profile: profile)
        let (readout, stats, _) = try await Self.read(chip, key: chip.card.mrzKey, slot: 1)
        #expect(readout.access == .bac)
        #expect(readout.files[.dataGroup(2)] == chip.card.files[.dataGroup(2)])
        #expect(readout.files[.dataGroup(13)] == chip.card.files[.dataGroup(13)])
        // EF.CardAccess (2: it lists no PACEInfo), SELECT AID, BAC (2), DG14 (2), Chip
        // Authentication (2), then header + rest per file (SOD, COM, DG1, DG2, DG13, DG15).
        #expect(stats.apdus == 2 + 1 + 2 + 2 + 2 + 6 * 2, "APDUs: \(stats.apdus)")
    }

    @Test func sixtyKilobyteFaceBeyondOffset32767() async throws {
        var profile = CardProfile.sample
        profile.faceSize = 60_000
        let chip = try SimulatedChip(profile: profile)
        let (readout, _, _) = try await Self.read(chip, key: .can("012345"))
        let dg2 = try #require(readout.files[.dataGroup(2)])
        #expect(dg2.count > 60_000)
        #expect(dg2 == chip.card.files[.dataGroup(2)])
        #expect(try DG2(dg2).face.data == PlaceholderFace.padded(.jpeg, to: 60_000))
    }

    @Test func sixtyKilobyteFaceOnAShortOnlyCard() async throws {
        var profile = CardProfile.sample
        profile.faceSize = 60_000
        profile.extendedLength = false
        let chip = try SimulatedChip(profile: profile)
        let (readout, stats, limits) = try await Self.read(chip, key: .can("012345"), slot: 1)
        #expect(!limits.extendedLength)
        #expect(readout.files[.dataGroup(2)] == chip.card.files[.dataGroup(2)])
        // Short APDUs under AES SM carry 223 bytes: the floor is ceil(size / 223) reads per file.
        #expect(stats.apdus > 270)
    }

    @Test func wrongCANIsAccessDenied() async throws {
        let chip = try SimulatedChip(profile: .sample)
        await #expect(throws: MRTDError.accessDenied(method: "CAN (PACE)", status: StatusWord(0x6300))) {
            _ = try await Self.read(chip, key: .can("111111"))
        }
    }

    @Test func cardPulledMidReadIsATypedError() async throws {
        var faults = CardFaults()
        faults.removeAfterAPDUs = 12
        let chip = try SimulatedChip(profile: .sample, faults: faults)
        do {
            _ = try await VirtualReader.withCard(chip, beforeAnswer: chip.bridgeHook) { reader in
                let channel = try await VirtualReader.channel(reader)
                return try await ReadSession(channel: channel, key: .can("012345")).read().0.files.count
            }
            Issue.record("read succeeded although the card was pulled")
        } catch let e as PCSCError {
            #expect(e.isCardGone || e == .communicationError, "\(e)")
        }
    }
}
