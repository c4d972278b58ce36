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
        #expect(Set(readout.files.keys) == [.cardAccess, .sod, .com, .dataGroup(1), .dataGroup(2), .dataGroup(13), .dataGroup(14), .dataGroup(15)])
        #expect(readout.chipAuthentication?.status == .passed)
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
        // BAC opened the chip with 3DES; Chip Authentication (DG14: ECDH AES-128) then restarted
        // secure messaging, and the rest was read under its keys.
        #expect(readout.chipAuthentication?.algorithm == "CA-ECDH-AES-128")
        #expect(sm.cipher == .aes128)
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

/// PACE on every standardized domain parameter set, against the simulated chip.
struct PACEDomainTests {
    @Test(arguments: [0, 1, 2, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])
    func paceOnStandardizedParameters(id: Int) async throws {
        var p = CardProfile.sample
        p.paceParameterIDs = [id]
        p.faceSize = 1_000
        let chip = try SimulatedChip(profile: p)
        let (readout, sm) = try await ReadSession(channel: InProcessChannel(card: chip), key: .can("012345")).read()
        guard case .pace(let outcome) = readout.access else { Issue.record("not PACE"); return }
        #expect(outcome.selection.info.parameterID == id)
        #expect(sm.cipher == .aes128)
        #expect(readout.files[.dataGroup(13)] == chip.card.files[.dataGroup(13)])
    }

    @Test func pacewithTheMRZPassword() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let (readout, _) = try await ReadSession(channel: InProcessChannel(card: chip), key: chip.card.mrzKey).read()
        #expect(readout.password == "MRZ")
        #expect(readout.access.name == "PACE")
    }
}

/// Fault injection that shapes timing and presence.
struct TimingFaultTests {
    @Test func latencyIsAppliedPerAPDU() async throws {
        var f = CardFaults()
        f.latencyMilliseconds = 20
        let chip = try SimulatedChip(profile: .sample, faults: f)
        let start = ContinuousClock.now
        _ = try await InProcessChannel(card: chip).transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8))
        _ = try await InProcessChannel(card: chip).transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8))
        #expect(ContinuousClock.now - start >= .milliseconds(40))
    }

    @Test func muteCardAnswersNothing() async throws {
        var f = CardFaults()
        f.mute = true
        let chip = try SimulatedChip(profile: .sample, faults: f)
        #expect(chip.atr.isEmpty)
        #expect(chip.process([0x00, 0x84, 0x00, 0x00, 0x08]).isEmpty)
    }

    @Test func faultSpecsParse() throws {
        var f = CardFaults()
        for s in ["altered-dg=2", "corrupt-sod-signature", "unknown-signer", "revoked-signer", "aa-key-mismatch", "ca-key-mismatch",
                  "dg1-dg13-inconsistent", "remove-after=5", "latency-ms=3", "mute"] { try f.apply(s) }
        #expect(f.alteredDataGroups == [2])
        #expect(f.removeAfterAPDUs == 5)
        #expect(throws: FaultError.self) { try f.apply("altered-dg=x") }
        #expect(throws: FaultError.self) { try f.apply("nonsense") }
    }
}

/// PACE cipher suites and explicit domain parameters, against the simulated chip.
struct PACESuiteTests {
    @Test(arguments: ["3DES", "AES-128", "AES-192", "AES-256"])
    func paceWithEveryCipher(cipher: String) async throws {
        var p = CardProfile.sample
        p.paceCipher = cipher
        p.faceSize = 4_000
        let chip = try SimulatedChip(profile: p)
        let (readout, _) = try await ReadSession(channel: InProcessChannel(card: chip), key: .can("012345")).read()
        guard case .pace(let outcome) = readout.access else { Issue.record("not PACE"); return }
        #expect(outcome.selection.paceProtocol.cipher.rawValue == cipher)
        #expect(readout.files[.dataGroup(2)] == chip.card.files[.dataGroup(2)])
    }

    @Test func paceWithExplicitDomainParameters() async throws {
        var p = CardProfile.sample
        p.paceExplicitDomain = true
        p.paceParameterIDs = [17]
        let chip = try SimulatedChip(profile: p)
        let infos = chip.card.cardAccess
        #expect(infos.paceDomainParameterInfos.count == 1)
        let selection = try PACE.select(from: infos)
        #expect(selection.info.parameterID == 32)
        if case .ec(_, let named) = selection.domain { #expect(named == .brainpoolP512r1) } else { Issue.record("not EC") }
        let (readout, _) = try await ReadSession(channel: InProcessChannel(card: chip), key: .can("012345")).read()
        #expect(readout.access.name == "PACE")
    }
}

/// Progress reports and cancellation of a read.
struct ReadControlTests {
    @Test func progressReachesEveryFilesLength() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let seen = Locked([LDSFileID: (Int, Int?)]())
        let totals = Locked([Int]())
        _ = try await ReadSession(channel: InProcessChannel(card: chip), key: .can("012345"), progress: { p in
            seen.withLock { $0[p.file] = (p.bytesRead, p.fileLength) }
            totals.withLock { $0.append(p.totalBytesRead) }
        }).read()
        // The running total across the files read under secure messaging is their summed size.
        let secured: [LDSFileID] = [.sod, .com, .dataGroup(1), .dataGroup(2), .dataGroup(13), .dataGroup(14), .dataGroup(15)]
        #expect(totals.current.max() == secured.map { chip.card.files[$0]!.count }.reduce(0, +))
        for id in [LDSFileID.sod, .dataGroup(1), .dataGroup(2), .dataGroup(13)] {
            let last = try #require(seen.current[id])
            #expect(last.0 == chip.card.files[id]!.count)
            #expect(last.1 == chip.card.files[id]!.count)
        }
    }

    @Test func cancellingAReadStopsItWithATypedError() async throws {
        var f = CardFaults()
        // 13 APDUs at 100 ms: the read is still going when the 200 ms sleep ends, even on a busy machine.
        f.latencyMilliseconds = 100
        let chip = try SimulatedChip(profile: .sample, faults: f)
        let task = Task { try await ReadSession(channel: InProcessChannel(card: chip), key: .can("012345")).read() }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("read finished despite cancellation")
        } catch MRTDError.cancelled {
        } catch is CancellationError {
        }
    }
}
