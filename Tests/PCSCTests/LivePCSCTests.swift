import CardSimulator
import Foundation
import ISO7816
@testable import PCSC
import SimulatorHarness
import Testing

/// The PC/SC layer against the real daemon: pcscd + vsmartcard-vpcd, with `TestCard` served over
/// the vpcd bridge. These tests need pcscd running (`.ci/run` starts it; locally
/// `Hardware/virtual/start.sh`). They are serialised: the virtual slots are shared.
@Suite(.serialized)
struct LivePCSCTests {
    @Test func bothVirtualReadersAreListed() async throws {
        let context = try await PCSCContext.establish()
        let readers = try await context.readers()
        for name in virtualReaderNames { #expect(readers.contains(name)) }
    }

    /// pcscd polls the virtual reader for presence (about every 400 ms); two seconds leaves room
    /// for a loaded machine without letting a lost or stuck event pass.
    @Test func insertAndRemoveEventsArriveWithinTwoSeconds() async throws {
        try await VirtualSlotLease.with(slot: 1) {
            let reader = virtualReaderNames[1]
            try await PCSCContext.waitUntilEmpty(reader: reader, timeout: .seconds(5))
            var iterator = ReaderEvents(includeCurrent: false).makeAsyncIterator()
            let bridge = VPCDBridge(card: TestCard(), slot: 1)
            let inserted = ContinuousClock.now
            try bridge.start()
            var sawInsert = false
            while let event = try await iterator.next() {
                if case .cardInserted(let r, let atr) = event, r == reader {
                    #expect(atr == TestCard().atr)
                    sawInsert = true
                    break
                }
            }
            #expect(sawInsert)
            #expect(ContinuousClock.now - inserted < .seconds(2))

            let removed = ContinuousClock.now
            bridge.stop()
            var sawRemove = false
            while let event = try await iterator.next() {
                if case .cardRemoved(let r) = event, r == reader {
                    sawRemove = true
                    break
                }
            }
            #expect(sawRemove)
            #expect(ContinuousClock.now - removed < .seconds(2))
        }
    }

    @Test func transmitRoundTripAndReaderState() async throws {
        let card = TestCard()
        try await withCardInVirtualReader(card) { reader in
            let context = try await PCSCContext.establish()
            let state = try #require(try await context.readerStates().first { $0.reader == reader })
            #expect(state.cardPresent)
            #expect(state.atr == card.atr)

            let pcscCard = try await context.connect(reader: reader)
            #expect(pcscCard.activeProtocol != nil)
            #expect(try await pcscCard.atr() == card.atr)
            let channel = try await PCSCChannel.open(pcscCard)
            #expect(channel.profile.id == "vsmartcard-vpcd")

            let select = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [0x01, 0x1E]))
            #expect(select.status == .success)
            let read = try await channel.transmit(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 256))
            #expect(read.status == .endOfFile)
            #expect(read.data == [0x60, 0x05, 0x5F, 0x01, 0x02, 0x30, 0x31])
            let missing = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [0x01, 0x99]))
            #expect(missing.status.meaning == .fileNotFound)
            let challenge = try await channel.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8))
            #expect(challenge.data.count == 8)
            try await pcscCard.disconnect()
        }
    }

    @Test func extendedLengthAPDUsTravelBothWays() async throws {
        try await withCardInVirtualReader(TestCard()) { reader in
            let context = try await PCSCContext.establish()
            let channel = try await PCSCChannel.open(try await context.connect(reader: reader))
            #expect(channel.limits.extendedLength)
            let payload = (0..<4000).map { UInt8(truncatingIfNeeded: $0 * 31) }
            let echo = try await channel.transmit(CommandAPDU(cla: 0x00, ins: TestCard.echoINS, p1: 0, p2: 0, data: payload, ne: 65536))
            #expect(echo.status == .success)
            #expect(echo.data == payload)

            // READ BINARY with an extended Le, beyond offset 32767 of the large file.
            _ = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [0x01, 0x02]))
            let big = try await channel.transmit(CommandAPDU(ins: 0xB0, p1: 0x7F, p2: 0x00, ne: 20000))
            #expect(big.status == .success)
            #expect(big.data.count == 20000)
            #expect(big.data.first == UInt8(truncatingIfNeeded: 0x7F00 &* 7 &+ 3))
        }
    }

    @Test func t0GetResponseAndWrongLeAreHandledBelowTheISOLayer() async throws {
        try await withCardInVirtualReader(TestCard()) { reader in
            let context = try await PCSCContext.establish()
            let card = try await context.connect(reader: reader)
            // 61xx: the layer fetches everything with GET RESPONSE and returns one response.
            let deferred = try await card.transmit(CommandAPDU(ins: TestCard.deferredINS, p1: 0, p2: 0, ne: 256))
            #expect(deferred.status == .success)
            #expect(deferred.data == (0..<300).map { UInt8(truncatingIfNeeded: $0) })
            // 6Cxx: re-issued with the Le the card asked for.
            let challenge = try await card.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 4))
            #expect(challenge.status == .success)
            #expect(challenge.data.count == 8)
        }
    }

    @Test func shortOnlyReaderNeverSendsExtendedAPDUs() async throws {
        try await withCardInVirtualReader(TestCard()) { reader in
            let context = try await PCSCContext.establish()
            let card = try await context.connect(reader: reader)
            var profile = ReaderProfileCatalog.standard.profile(forReader: "ACS ACR122U PICC Interface 00 00")!
            profile.match = ["Virtual PCD"]
            let channel = try await PCSCChannel.open(card, catalog: ReaderProfileCatalog(profiles: [profile]))
            #expect(!channel.limits.extendedLength)
            await #expect(throws: ChannelLimitError.self) {
                _ = try await channel.transmit(CommandAPDU(ins: TestCard.echoINS, p1: 0, p2: 0, data: Array(repeating: 1, count: 300), ne: 300))
            }
        }
    }

    @Test func cardRemovedMidExchangeIsATypedError() async throws {
        // The bridge pulls the card when the third APDU arrives.
        try await withCardInVirtualReader(TestCard(), beforeAnswer: { $0 < 3 }) { reader in
            let context = try await PCSCContext.establish()
            let card = try await context.connect(reader: reader)
            let channel = try await PCSCChannel.open(card)
            _ = try await channel.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8))
            _ = try await channel.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8))
            do {
                _ = try await channel.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8))
                Issue.record("transmit succeeded after the card was pulled")
            } catch let error as PCSCError {
                #expect(error.isCardGone || error == .communicationError, "got \(error)")
            }
        }
    }

    @Test func transactionsEndEvenWhenTheBodyThrows() async throws {
        struct Boom: Error {}
        try await withCardInVirtualReader(TestCard()) { reader in
            let context = try await PCSCContext.establish()
            let card = try await context.connect(reader: reader)
            await #expect(throws: Boom.self) {
                try await card.withTransaction { _ in throw Boom() }
            }
            // A second connection can take a transaction: the first one really ended.
            let other = try await context.connect(reader: reader)
            let r = try await other.withTransaction { c in try await c.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8)) }
            #expect(r.data.count == 8)
        }
    }

    @Test func reconnectResetsTheCard() async throws {
        try await withCardInVirtualReader(TestCard()) { reader in
            let context = try await PCSCContext.establish()
            let card = try await context.connect(reader: reader)
            _ = try await card.transmit(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [0x01, 0x1E]))
            try await card.reconnect(initialization: .reset)
            // After a reset nothing is selected: READ BINARY without SFI is refused.
            let r = try await card.transmit(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 4))
            #expect(r.status == StatusWord(0x6986))
        }
    }

    @Test func unsupportedReaderAttributesAreTypedErrors() async throws {
        // vpcd implements no SCardGetAttrib tags; the layer must say so in a typed error (and the
        // channel's probing must fall back to the profile rather than fail).
        try await withCardInVirtualReader(TestCard()) { reader in
            let context = try await PCSCContext.establish()
            let card = try await context.connect(reader: reader)
            await #expect(throws: PCSCError.unsupportedFeature) { try await card.attribute(.maxInput) }
            let limits = await PCSCChannel.probe(card, fallback: .short)
            #expect(limits == .short)
        }
    }

    @Test func cancellingAnEventWaitReturnsPromptly() async throws {
        let task = Task {
            var n = 0
            for try await _ in ReaderEvents(includeCurrent: true) { n += 1 }
            return n
        }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        task.cancel()
        _ = try await task.value
        #expect(ContinuousClock.now - start < .milliseconds(500))
    }
}
