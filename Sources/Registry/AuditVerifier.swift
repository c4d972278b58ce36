/// Walks every device's chain and names the first broken link.
public struct AuditVerifier: Sendable {
    public struct Break: Sendable, Hashable, CustomStringConvertible {
        public var device: String
        public var seq: Int
        public var eventId: String
        public var reason: String
        public var description: String { "device \(device) event \(seq) (\(eventId)): \(reason)" }
    }

    public struct Report: Sendable, Hashable {
        public var devices: Int = 0
        public var events: Int = 0
        public var firstBreak: Break?
    }

    var report = Report()
    var head: [String: (seq: Int, hash: String)] = [:]

    public init() {}

    /// Feed events ordered by (device, seq); stops recording after the first break.
    public mutating func check(_ e: ReadEvent) {
        guard report.firstBreak == nil else { return }
        report.events += 1
        let prev = head[e.device]
        if prev == nil { report.devices += 1 }
        func fail(_ r: String) { report.firstBreak = Break(device: e.device, seq: e.seq, eventId: e.id, reason: r) }
        let expectedSeq = (prev?.seq ?? 0) + 1
        let expectedPrev = prev?.hash ?? ReadEvent.genesis
        if e.seq != expectedSeq { return fail("sequence \(e.seq) where \(expectedSeq) was expected (an event is missing)") }
        if e.previousHash != expectedPrev { return fail("previous hash does not match the hash of event \(expectedSeq - 1)") }
        if ReadEvent.hashOf(e.payload) != e.hash { return fail("content does not match its hash (the row was altered)") }
        guard let c = e.content else { return fail("payload is not valid JSON") }
        if c["id"]?.stringValue != e.id || c["device"]?.stringValue != e.device || c["seq"]?.intValue != e.seq
            || c["previousHash"]?.stringValue != e.previousHash || c["kind"]?.stringValue != e.kind.rawValue
            || c["at"]?.stringValue != e.at || c["idNumber"]?.stringValue != e.idNumber
            || c["station"]?.stringValue != e.station || c["team"]?.stringValue != e.team {
            return fail("indexed columns disagree with the hashed content (the row was altered)")
        }
        head[e.device] = (e.seq, e.hash)
    }

    public var result: Report { report }
}
