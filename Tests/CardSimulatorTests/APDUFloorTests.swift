import CardSimulator
import ISO7816
import MRTD
import Testing

/// The APDU floor: one READ BINARY per file with extended length, the fewest short APDUs the
/// secure-messaging block allows otherwise, and clean fallbacks when a card refuses the big Le.
struct APDUFloorTests {
    /// Files read under secure messaging on the sample card (DG14 first, then EF.SOD, EF.COM and
    /// the data groups they list that the chip lets us read).
    static func smFiles(_ chip: SimulatedChip) -> [[UInt8]] {
        chip.card.files.filter { $0.key != .cardAccess && $0.key != .dataGroup(3) && $0.key != .dataGroup(4) }.map(\.value)
    }

    /// MSE:Set AT and GENERAL AUTHENTICATE of Chip Authentication, right after access control.
    static let chipAuthentication = 2

    /// Reads the card in-process and returns the readout, every command sent (plain side of the
    /// transport, i.e. protected APDUs after PACE) and the APDU count.
    static func read(_ chip: SimulatedChip, limits: TransportLimits = .extended) async throws -> (MRTDReadout, [APDUTraceEntry], Int) {
        let log = Locked([APDUTraceEntry]())
        let channel = TracingChannel(InProcessChannel(card: chip, limits: limits)) { e in log.withLock { $0.append(e) } }
        let (readout, _) = try await ReadSession(channel: channel, key: .can("012345")).read()
        for (id, bytes) in chip.card.files where id != .dataGroup(3) && id != .dataGroup(4) {
            #expect(readout.files[id] == bytes, "\(id)")
        }
        return (readout, log.current, channel.statistics.apdus)
    }

    @Test func oneReadBinaryPerFileWithExtendedLength() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let (_, log, apdus) = try await Self.read(chip)
        // EF.CardAccess (1), PACE (5), SELECT (1), DG14 (1), CA (2), EF.SOD, EF.COM, DG1, DG2,
        // DG13, DG15 (6).
        #expect(apdus == 1 + 5 + 1 + 1 + Self.chipAuthentication + 6, "APDUs: \(apdus)")
        let reads = log.filter { $0.header.hasPrefix("00B0") || $0.header.hasPrefix("0CB0") }
        #expect(reads.count == 8)
        // Every read selects its file by SFI (P1 = 8x): no SELECT of an elementary file.
        #expect(reads.allSatisfy { $0.header.dropFirst(4).hasPrefix("8") || $0.header.dropFirst(4).hasPrefix("9") })
        #expect(!log.contains { $0.header.hasPrefix("0CA4020C") || $0.header.hasPrefix("00A4020C") })
    }

    @Test func shortOnlyReaderNeedsTheFewestBlocksOf223Bytes() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let (_, log, apdus) = try await Self.read(chip, limits: .short)
        let block = 223  // AES secure messaging in a 256-byte short response
        let smReads = Self.smFiles(chip).reduce(0) { $0 + ($1.count + block - 1) / block }
        let floor = 1 + 5 + 1 + Self.chipAuthentication + smReads
        #expect(apdus == floor, "APDUs: \(apdus), floor \(floor)")
        #expect(log.allSatisfy { $0.responseLength <= 256 })
    }

    @Test func shortBlockUnderSecureMessaging() throws {
        let keys = SMKeys(cipher: .aes128, enc: [UInt8](repeating: 1, count: 16), mac: [UInt8](repeating: 2, count: 16))
        struct Plain: CardChannel {
            var limits: TransportLimits
            func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU { ResponseAPDU(data: [], status: .success) }
        }
        #expect(SecureChannel(base: Plain(limits: .extended), keys: keys).maxShortNe == 223)
        #expect(SecureChannel(base: Plain(limits: .short), keys: keys).maxShortNe == 223)
        #expect(SecureChannel(base: Plain(limits: .short), keys: keys).limits.maxNe == 223)
        let des = SMKeys(cipher: .tripleDES, enc: [UInt8](repeating: 1, count: 16), mac: [UInt8](repeating: 2, count: 16))
        #expect(SecureChannel(base: Plain(limits: .extended), keys: des).maxShortNe == 231)
        #expect(Plain(limits: .extended).maxShortNe == 256)
    }

    @Test func cardRefusingTheExtendedLeFallsBackToShortBlocks() async throws {
        var faults = CardFaults()
        try faults.apply("read-le-limit=256")
        let chip = try SimulatedChip(profile: .sample, faults: faults)
        let (_, _, apdus) = try await Self.read(chip)
        let smReads = Self.smFiles(chip).reduce(0) { $0 + ($1.count + 222) / 223 }
        // The short floor plus one refused extended read per file reader (plain and protected);
        // one in all once the readers of a session share their FileReadMemory.
        let floor = 1 + 5 + 1 + Self.chipAuthentication + smReads
        #expect((floor + 1...floor + 2).contains(apdus), "APDUs: \(apdus), floor \(floor)")
    }

    @Test func cardAskingForTheExactLeGetsIt() async throws {
        var faults = CardFaults()
        try faults.apply("exact-read-le")
        let chip = try SimulatedChip(profile: .sample, faults: faults)
        let (_, _, apdus) = try await Self.read(chip)
        // Per file: the big Le (6Cxx), the exact Le, then blocks of 256.
        let files = Self.smFiles(chip).reduce(0) { $0 + 1 + ($1.count + 255) / 256 }
        #expect(apdus <= 2 + 5 + 1 + Self.chipAuthentication + files, "APDUs: \(apdus)")
    }

    @Test func memoryIsSharedAcrossReaders() async throws {
        var faults = CardFaults()
        try faults.apply("read-le-limit=256")
        let chip = try SimulatedChip(profile: .sample, faults: faults)
        let memory = FileReadMemory()
        let channel = TracingChannel(InProcessChannel(card: chip))
        let first = FileReader(channel: channel, memory: memory)
        #expect(try await first.read(.cardAccess) == chip.card.files[.cardAccess])
        #expect(channel.statistics.apdus == 2)  // refused extended Le, then the short read
        #expect(memory.extendedRefused)
        let second = FileReader(channel: channel, memory: memory)
        #expect(try await second.read(.cardAccess) == chip.card.files[.cardAccess])
        #expect(channel.statistics.apdus == 3)  // remembered: straight to a short read
    }

    @Test func exactLeOnAPlainFileTakesTwoCommands() async throws {
        var faults = CardFaults()
        faults.exactReadLe = true
        let chip = try SimulatedChip(profile: .sample, faults: faults)
        let channel = TracingChannel(InProcessChannel(card: chip))
        #expect(try await FileReader(channel: channel).read(.cardAccess) == chip.card.files[.cardAccess])
        #expect(channel.statistics.apdus == 2)
    }
}
