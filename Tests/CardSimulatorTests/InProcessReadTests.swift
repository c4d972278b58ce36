import CardSimulator
import CCCD
import ISO7816
import MRTD
import Testing

/// Reading the simulated card in-process (no pcscd): the protocol logic end to end.
struct InProcessReadTests {
    @Test func personalisationReproducesThePublishedCardAccess() throws {
        let card = try PersonalizedCard.personalize(.sample)
        #expect(card.cardAccess.der == h("31 34 30 0D 06 08 04 00 7F 00 07 02 02 02 02 01 01 30 0F 06 0A 04 00 7F 00 07 02 02 03 02 02 02 01 01 30 12 06 0A 04 00 7F 00 07 02 02 04 02 02 02 01 02 02 01 0D"))
        #expect(card.mrzLines == ["IDVNM0990123459001099012345<<0", "9902015M3902013VNM<<<<<<<<<<<2", "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"])
        #expect(card.can == "012345")
        _ = try MRZ(card.mrzLines.joined(separator: "\n"))
    }

    @Test func paceWithCANReadsEveryDataGroup() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let channel = TracingChannel(InProcessChannel(card: chip))
        let (readout, _) = try await ReadSession(channel: channel, key: .can("012345")).read()
        #expect(readout.access.name == "PACE")
        #expect(Set(readout.files.keys) == [.cardAccess, .sod, .dataGroup(1), .dataGroup(2), .dataGroup(13), .dataGroup(14), .dataGroup(15)])
        #expect(readout.skipped[.dataGroup(3)] == "requires Terminal Authentication")
        let dg13 = try DG13(try #require(readout.files[.dataGroup(13)]))
        #expect(dg13.fullName == "Nguyễn Văn An")
        #expect(readout.dg1?.mrz?.documentNumber == "099012345")
        #expect(readout.dg2?.face.format == .jpeg)
        #expect(readout.dg2?.face.data == PlaceholderFace.padded(.jpeg, to: 16_000))
    }

    @Test func bacWithTheMRZReadsEveryDataGroup() async throws {
        var profile = CardProfile.sample
        profile.pace = false
        let chip = try SimulatedChip(profile: profile)
        let card = chip.card
        let (readout, sm) = try await ReadSession(channel: InProcessChannel(card: chip), key: card.mrzKey).read()
        #expect(readout.access == .bac)
        #expect(sm.cipher == .tripleDES)
        #expect(readout.files[.dataGroup(13)] == card.files[.dataGroup(13)])
        #expect(readout.files[.dataGroup(2)] == card.files[.dataGroup(2)])
    }

    @Test func wrongCANIsAccessDenied() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let channel = TracingChannel(InProcessChannel(card: chip))
        await #expect(throws: MRTDError.self) {
            _ = try await ReadSession(channel: channel, key: .can("999999")).read()
        }
        do {
            _ = try await ReadSession(channel: InProcessChannel(card: chip), key: .can("999999")).read()
        } catch let MRTDError.accessDenied(method, _) {
            #expect(method == "CAN (PACE)")
        }
        // One attempt: the GENERAL AUTHENTICATE with the token is sent once.
        #expect(channel.statistics.apdus < 10)
    }

    @Test func shortOnlyChannelStepsDownAndStillReads() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let (readout, _) = try await ReadSession(channel: InProcessChannel(card: chip, limits: .short), key: .can("012345")).read()
        #expect(readout.files[.dataGroup(2)] == chip.card.files[.dataGroup(2)])
    }

    @Test func largeFaceBeyondOffset32767ReadsIntact() async throws {
        var profile = CardProfile.sample
        profile.faceSize = 60_000
        let chip = try SimulatedChip(profile: profile)
        for limits in [TransportLimits.extended, .short] {
            chip.reset()
            let (readout, _) = try await ReadSession(channel: InProcessChannel(card: chip, limits: limits), key: .can("012345")).read()
            #expect(readout.files[.dataGroup(2)] == chip.card.files[.dataGroup(2)])
            #expect(readout.dg2?.face.data.count ?? 0 > 59_000)
        }
    }
}
