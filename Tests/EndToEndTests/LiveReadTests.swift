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
        // The floor with extended length: EF.CardAccess (1), PACE (5), SELECT (1), DG14 (1), Chip
        // Authentication (MSE + GA: 2), then one READ BINARY by SFI per file: SOD, COM, DG1, DG2,
        // DG13, DG15 = 6 files.
        #expect(stats.apdus == 1 + 5 + 1 + 1 + 2 + 6, "APDUs: \(stats.apdus)")
    }

    @Test func bacReadsEveryDataGroupThroughPCSC() async throws {
        var profile = CardProfile.sample
        profile.pace = false
        let chip = try SimulatedChip(profile: profile)
        let (readout, stats, _) = try await Self.read(chip, key: chip.card.mrzKey, slot: 1)
        #expect(readout.access == .bac)
        #expect(readout.files[.dataGroup(2)] == chip.card.files[.dataGroup(2)])
        #expect(readout.files[.dataGroup(13)] == chip.card.files[.dataGroup(13)])
        // EF.CardAccess (1: it lists no PACEInfo), SELECT AID, BAC (2), DG14 (1), Chip
        // Authentication (2), then one read per file (SOD, COM, DG1, DG2, DG13, DG15).
        #expect(stats.apdus == 1 + 1 + 2 + 1 + 2 + 6, "APDUs: \(stats.apdus)")
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
        // Short APDUs under AES SM carry 223 bytes; beyond offset 32767 odd-INS READ BINARY wraps
        // the data in DO53 (3 bytes), leaving 220. The floor is the number of such blocks per file.
        func blocks(_ size: Int) -> Int {
            var (offset, n) = (0, 0)
            while offset < size { offset += offset > 0x7FFF ? 220 : 223; n += 1 }
            return n
        }
        let floor = chip.card.files.filter { $0.key != .cardAccess && $0.key != .dataGroup(3) }
            .reduce(0) { $0 + blocks($1.value.count) }
        // EF.CardAccess, PACE (5), SELECT, Chip Authentication (2), then the blocks (EF.COM included).
        #expect(stats.apdus == 1 + 5 + 1 + 2 + floor, "APDUs: \(stats.apdus), floor \(1 + 5 + 1 + 2 + floor)")
    }

    /// A card that refuses the big Le (6700) or insists on the exact one (6Cxx) still reads intact
    /// through pcscd, close to the short floor.
    @Test(arguments: ["read-le-limit=256", "exact-read-le"])
    func cardRefusingTheBigLe(fault: String) async throws {
        var faults = CardFaults()
        try faults.apply(fault)
        let chip = try SimulatedChip(profile: .sample, faults: faults)
        let (readout, stats, _) = try await Self.read(chip, key: .can("012345"))
        for (id, bytes) in chip.card.files where id != .com && id != .dataGroup(3) {
            #expect(readout.files[id] == bytes, "\(id)")
        }
        let smFiles = chip.card.files.filter { $0.key != .com && $0.key != .cardAccess && $0.key != .dataGroup(3) }.map(\.value)
        // At most one refused Le per file plus blocks of 223 (6700) or 256 (6Cxx) bytes.
        let bound = 1 + 5 + 1 + smFiles.reduce(0) { $0 + 1 + ($1.count + 222) / 223 } + 1
        #expect(stats.apdus <= bound, "APDUs: \(stats.apdus)")
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
