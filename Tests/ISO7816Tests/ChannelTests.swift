import ISO7816
import Testing

struct ChannelTests {
    @Test func transcriptReplaysAndRejectsDeviations() async throws {
        let channel = try TranscriptChannel(hexPairs: [("0084000008", "01020304050607089000"), ("00A4020C02011E", "9000")])
        let r = try await channel.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8))
        #expect(r.data == [1, 2, 3, 4, 5, 6, 7, 8])
        await #expect(throws: ISO7816Error(.unexpectedCommand, "")) {
            _ = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 2, p2: 0x0C, data: [0x01, 0x1D]))
        }
        _ = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 2, p2: 0x0C, data: [0x01, 0x1E]))
        #expect(channel.isComplete)
        await #expect(throws: ISO7816Error(.transcriptExhausted, "")) {
            _ = try await channel.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8))
        }
    }

    @Test func tracingCountsAndRedactsByDefault() async throws {
        let base = try TranscriptChannel(hexPairs: [("00A4020C02011E", "9000"), ("00B0000004", "60145F019000")])
        let seen = Locked([APDUTraceEntry]())
        let trace = TracingChannel(base) { e in seen.withLock { $0.append(e) } }
        _ = try await trace.transmit(CommandAPDU(ins: 0xA4, p1: 2, p2: 0x0C, data: [0x01, 0x1E]))
        _ = try await trace.transmit(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 4))
        let stats = trace.statistics
        #expect(stats.apdus == 2)
        #expect(stats.bytesSent == 7 + 5)
        #expect(stats.bytesReceived == 2 + 6)
        let entries = seen.current
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.commandHex == nil && $0.responseHex == nil })
        #expect(!entries[1].line.contains("60145F01"))
        #expect(entries[1].status == "9000")
    }

    @Test func fullTraceShowsPayloads() async throws {
        let base = try TranscriptChannel(hexPairs: [("00B0000004", "60145F019000")])
        let seen = Locked([APDUTraceEntry]())
        let trace = TracingChannel(base, detail: .full) { e in seen.withLock { $0.append(e) } }
        _ = try await trace.transmit(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 4))
        #expect(seen.current.first?.responseHex == "60145F019000")
    }

    @Test func limits() {
        #expect(TransportLimits.short.maxNe == 256)
        #expect(TransportLimits.extended.maxNe == 65536)
        #expect(TransportLimits.extended.intersect(.short) == .short)
    }

    @Test func hex() {
        #expect([UInt8](hex: "0a0B 0c") == [0x0A, 0x0B, 0x0C])
        #expect([UInt8](hex: "0") == nil)
        #expect([UInt8](hex: "zz") == nil)
        #expect([UInt8]([0xDE, 0xAD]).hex == "DEAD")
    }
}
