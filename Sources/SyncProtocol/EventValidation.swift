import Foundation
import Registry

/// Reads a wire event as hostile input: size, hash, nesting, canonical form and every field
/// checked before anything is stored. The result is the event exactly as its device sealed it.
public enum EventValidation {
    /// Deepest JSON nesting an event payload may have (the parser recurses).
    static let maxDepth = 24

    public static func event(_ w: WireEvent) throws(SyncError) -> ReadEvent {
        guard w.payload.utf8.count <= SyncAPI.maxPayloadBytes else { throw SyncError(.tooLarge, "event payload larger than \(SyncAPI.maxPayloadBytes) bytes") }
        guard isHex64(w.hash) else { throw SyncError(.badEvent, "hash must be 64 lower-case hex digits") }
        guard ReadEvent.hashOf(w.payload) == w.hash else { throw SyncError(.hashMismatch, "payload does not match its hash") }
        guard depthWithin(w.payload, maxDepth) else { throw SyncError(.badEvent, "payload nested too deeply") }
        let value: JSONValue
        do { value = try JSONValue(parsing: w.payload) } catch { throw SyncError(.badEvent, "payload is not JSON") }
        guard value.canonical == w.payload else { throw SyncError(.badEvent, "payload is not in canonical form") }
        guard case .object(let o) = value else { throw SyncError(.badEvent, "payload is not an object") }
        let expectedKeys: Set<String> = ["at", "body", "device", "id", "idNumber", "kind", "operator", "previousHash", "seq", "station", "team"]
        guard Set(o.keys) == expectedKeys else { throw SyncError(.badEvent, "payload fields are not those of an event") }
        guard let id = o["id"]?.stringValue, (1...64).contains(id.utf8.count),
              let device = o["device"]?.stringValue, (1...128).contains(device.utf8.count),
              let seq = o["seq"]?.intValue, seq >= 1, seq < 1 << 53,
              let at = o["at"]?.stringValue, (1...64).contains(at.utf8.count),
              let kindText = o["kind"]?.stringValue,
              let previous = o["previousHash"]?.stringValue, isHex64(previous),
              case .object = o["body"] else {
            throw SyncError(.badEvent, "payload has a missing or malformed field")
        }
        // PostgreSQL text cannot hold U+0000: refused here (422), not left to fail in the store as
        // a retryable 503 that would wedge the device's sync on this batch forever.
        for k in ["id", "device", "at", "station", "team", "operator", "idNumber"] {
            if case .string(let v)? = o[k], v.unicodeScalars.contains("\u{0}") {
                throw SyncError(.badEvent, "\(k) contains a NUL character", eventId: id, seq: seq)
            }
        }
        guard let kind = EventDraft.Kind(rawValue: kindText) else { throw SyncError(.badEvent, "unknown event kind \(kindText.prefix(32))", eventId: id, seq: seq) }
        func optionalString(_ k: String) throws(SyncError) -> String? {
            switch o[k] {
            case .null?: return nil
            case .string(let s)?: return s
            default: throw SyncError(.badEvent, "\(k) must be a string or null", eventId: id, seq: seq)
            }
        }
        let idNumber = try optionalString("idNumber")
        if let idNumber, !(idNumber.count == 12 && idNumber.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw SyncError(.badEvent, "idNumber must be 12 digits", eventId: id, seq: seq)
        }
        _ = try optionalString("operator")
        return ReadEvent(id: id, device: device, seq: seq, at: at, kind: kind, idNumber: idNumber, station: try optionalString("station"),
                         team: try optionalString("team"), payload: w.payload, previousHash: previous, hash: w.hash)
    }

    static func isHex64(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Bracket depth outside strings, without recursion.
    static func depthWithin(_ text: String, _ limit: Int) -> Bool {
        var depth = 0, inString = false, escaped = false
        for b in text.utf8 {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > limit { return false }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return true
    }
}

/// Checks that a batch is one device's consecutive events, and returns them decoded.
public enum BatchValidation {
    public static func events(_ batch: EventBatch, device: String) throws(SyncError) -> [ReadEvent] {
        try precheck(batch, device: device)
        var out = [ReadEvent]()
        out.reserveCapacity(batch.events.count)
        for w in batch.events { out.append(try EventValidation.event(w)) }
        try chain(out, device: device)
        return out
    }

    /// The same checks, each event's own (hash, form, fields) spread over `parts` tasks — they
    /// are independent and most of the service's work — then the chain in order.
    public static func events(_ batch: EventBatch, device: String, parts: Int) async throws -> [ReadEvent] {
        try precheck(batch, device: device)
        let n = batch.events.count
        let size = max(64, (n + max(1, parts) - 1) / max(1, parts))
        let chunks = try await withThrowingTaskGroup(of: (Int, [ReadEvent]).self) { group in
            for start in stride(from: 0, to: n, by: size) {
                let slice = batch.events[start..<min(n, start + size)]
                group.addTask {
                    var out = [ReadEvent]()
                    out.reserveCapacity(slice.count)
                    for w in slice { out.append(try EventValidation.event(w)) }
                    return (start, out)
                }
            }
            var done = [(Int, [ReadEvent])]()
            for try await chunk in group { done.append(chunk) }
            return done.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        try chain(chunks, device: device)
        return chunks
    }

    /// What the device was enrolled for: events about citizens outside its province, or in the
    /// name of another team, are refused (403) — a device's token must not reach another
    /// province's cards, nor credit its work to another team in the campaign's figures.
    public static func scope(_ events: [ReadEvent], device: SyncDevice) throws(SyncError) {
        for e in events {
            if let province = device.province, let id = e.idNumber, !id.hasPrefix(province) {
                throw SyncError(.deviceMismatch, "an event names a citizen outside the device's province", eventId: e.id, seq: e.seq)
            }
            if let team = e.team, team.precomposedStringWithCanonicalMapping != device.team.precomposedStringWithCanonicalMapping {
                throw SyncError(.deviceMismatch, "an event names another team than the device's", eventId: e.id, seq: e.seq)
            }
        }
    }

    static func precheck(_ batch: EventBatch, device: String) throws(SyncError) {
        guard batch.events.count <= SyncAPI.maxBatchEvents else { throw SyncError(.tooLarge, "more than \(SyncAPI.maxBatchEvents) events in one batch") }
        guard batch.device == device else { throw SyncError(.deviceMismatch, "the batch names another device than the token's") }
    }

    static func chain(_ events: [ReadEvent], device: String) throws(SyncError) {
        var last: ReadEvent?
        for e in events {
            guard e.device == device else { throw SyncError(.deviceMismatch, "an event names another device than the token's", eventId: e.id, seq: e.seq) }
            if let last {
                guard e.seq == last.seq + 1 else { throw SyncError(.sequenceGap, "events in a batch must be consecutive", eventId: e.id, seq: e.seq) }
                guard e.previousHash == last.hash else { throw SyncError(.chainBroken, "previous hash does not match the event before it", eventId: e.id, seq: e.seq) }
            }
            last = e
        }
    }
}
