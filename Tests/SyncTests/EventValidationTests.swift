import Foundation
import Registry
import SyncProtocol
import SyncServer
import Testing

/// Wire events are hostile input: every malformed one is a typed refusal, never a crash.
struct EventValidationTests {
    static func sealed(_ body: [String: JSONValue] = ["n": .int(1)], device: String = "d1") -> ReadEvent {
        ReadEvent.seal(EventDraft(at: Date(timeIntervalSince1970: 1_764_547_200), kind: .importFile, team: "t", body: body), device: device, after: nil)
    }

    static func code(_ payload: String, hash: String? = nil) -> SyncError.Code? {
        do { _ = try EventValidation.event(WireEvent(payload: payload, hash: hash ?? ReadEvent.hashOf(payload))); return nil } catch { return error.code }
    }

    @Test func aSealedEventReadsBackExactly() throws {
        let e = Self.sealed()
        let back = try EventValidation.event(WireEvent(e))
        #expect(back == e)
    }

    @Test func malformedPayloadsAreRefusedByCode() {
        let e = Self.sealed()
        #expect(Self.code(e.payload, hash: String(repeating: "0", count: 64)) == .hashMismatch)
        #expect(Self.code(e.payload, hash: "ABC") == .badEvent)
        // Valid JSON, right hash, but not canonical (a space): the centre would store other bytes than were sealed.
        #expect(Self.code(e.payload.replacingOccurrences(of: ",\"body\"", with: ", \"body\"")) == .badEvent)
        // A nesting bomb is refused before the recursive parser sees it.
        #expect(Self.code(String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000)) == .badEvent)
        #expect(Self.code("{\"id\":1}") == .badEvent)
        #expect(Self.code("not json") == .badEvent)
        #expect(Self.code(String(repeating: "x", count: SyncAPI.maxPayloadBytes + 1)) == .tooLarge)
        // An unknown kind, an absurd sequence number, a malformed ID number.
        #expect(Self.code(e.payload.replacingOccurrences(of: "\"kind\":\"importFile\"", with: "\"kind\":\"teleport\"")) == .badEvent)
        #expect(Self.code(e.payload.replacingOccurrences(of: "\"seq\":1", with: "\"seq\":9223372036854775807")) == .badEvent)
        #expect(Self.code(e.payload.replacingOccurrences(of: "\"idNumber\":null", with: "\"idNumber\":\"12\"")) == .badEvent)
    }

    @Test func batchesMustBeOneDevicesConsecutiveChain() throws {
        let a = Self.sealed()
        let b = ReadEvent.seal(EventDraft(at: Date(), kind: .importFile, body: [:]), device: "d1", after: (a.seq, a.hash))
        let c = ReadEvent.seal(EventDraft(at: Date(), kind: .importFile, body: [:]), device: "d1", after: (b.seq, b.hash))
        #expect(try BatchValidation.events(EventBatch(device: "d1", events: [a, b, c].map(WireEvent.init)), device: "d1").count == 3)
        func code(_ events: [ReadEvent], device: String = "d1") -> SyncError.Code? {
            do { _ = try BatchValidation.events(EventBatch(device: device, events: events.map(WireEvent.init)), device: "d1"); return nil } catch { return error.code }
        }
        #expect(code([a, c]) == .sequenceGap)
        let forged = ReadEvent.seal(EventDraft(at: Date(), kind: .importFile, body: [:]), device: "d1", after: (1, String(repeating: "f", count: 64)))
        #expect(code([a, forged]) == .chainBroken)
        #expect(code([a], device: "d2") == .deviceMismatch)
        #expect(code([Self.sealed(device: "d2")]) == .deviceMismatch)
    }

    @Test func concurrentChecksAgreeWithSequentialOnes() async throws {
        var chain = [Self.sealed()]
        for i in 1..<500 {
            let p = chain[i - 1]
            chain.append(ReadEvent.seal(EventDraft(at: Date(), kind: .importFile, body: ["i": .int(i)]), device: "d1", after: (p.seq, p.hash)))
        }
        let batch = EventBatch(device: "d1", events: chain.map(WireEvent.init))
        #expect(try await BatchValidation.events(batch, device: "d1", parts: 4) == chain)
        var broken = batch
        broken.events[300] = WireEvent(chain[301])
        await #expect(throws: SyncError.self) { _ = try await BatchValidation.events(broken, device: "d1", parts: 4) }
        do { _ = try await BatchValidation.events(broken, device: "d1", parts: 4) } catch let e as SyncError {
            #expect(e.code == .sequenceGap && e.seq == 302)
        }
        var altered = batch
        altered.events[450].hash = String(repeating: "0", count: 64)
        do { _ = try await BatchValidation.events(altered, device: "d1", parts: 4); Issue.record("accepted") } catch let e as SyncError {
            #expect(e.code == .hashMismatch)
        }
    }

    @Test func listenAddressesAndLoopback() throws {
        for a in ["127.0.0.1:8443", "[::1]:0", "localhost:1", "127.1.2.3:80"] { #expect(try ListenAddress(a).isLoopback, "\(a)") }
        for a in ["0.0.0.0:8443", "10.0.0.1:80", "127.evil.example:1", "[::]:80"] { #expect(try !ListenAddress(a).isLoopback, "\(a)") }
        for a in ["127.0.0.1", "127.0.0.1:99999", ":80", "[::1]80"] { #expect(throws: SyncServerError.self) { try ListenAddress(a) } }
    }
}
