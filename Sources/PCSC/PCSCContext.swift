internal import CPCSC
import ISO7816

/// An established PC/SC context: the entry point for listing readers and connecting to cards.
///
/// Owns one `SCARDCONTEXT` and releases it in `deinit`. Cards connected through it keep it alive.
/// Its blocking calls run on its own serial queue.
public final class PCSCContext: @unchecked Sendable {
    let handle: SCARDCONTEXT
    let executor: BlockingExecutor

    /// The scope of a context, as in SCardEstablishContext.
    public enum Scope: UInt32, Sendable { case user = 0, terminal = 1, system = 2 }

    private init(handle: SCARDCONTEXT, executor: BlockingExecutor) {
        self.handle = handle
        self.executor = executor
    }

    /// Establishes a context. Throws `PCSCError.noService` when pcscd is not running.
    public static func establish(scope: Scope = .system) async throws -> PCSCContext {
        let executor = BlockingExecutor(label: "cccd.pcsc.context")
        let raw = try await executor.run { () -> Int in
            var ctx: SCARDCONTEXT = 0
            try pcsc("SCardEstablishContext", SCardEstablishContext(DWORD(scope.rawValue), nil, nil, &ctx))
            return Int(ctx)
        }
        return PCSCContext(handle: SCARDCONTEXT(raw), executor: executor)
    }

    /// Synchronous establish for the monitor thread, which already runs off the cooperative pool.
    static func establishBlocking(scope: Scope = .system) throws -> SCARDCONTEXT {
        var ctx: SCARDCONTEXT = 0
        try pcsc("SCardEstablishContext", SCardEstablishContext(DWORD(scope.rawValue), nil, nil, &ctx))
        return ctx
    }

    deinit {
        _ = SCardReleaseContext(handle)
    }

    /// Whether pcscd still knows this context.
    public var isValid: Bool { SCardIsValidContext(handle) == 0 }

    /// Interrupts a blocking SCardGetStatusChange on this context (any thread may call it).
    public func cancel() { _ = SCardCancel(handle) }

    /// Reader names. No reader attached is an empty list, not an error.
    public func readers() async throws -> [String] {
        let h = Int(handle)
        return try await executor.run { try Self.listReaders(SCARDCONTEXT(h)) }
    }

    static func listReaders(_ ctx: SCARDCONTEXT) throws -> [String] {
        for _ in 0..<5 {
            var size: DWORD = 0
            var rv = SCardListReaders(ctx, nil, nil, &size)
            if UInt32(truncatingIfNeeded: rv) == 0x8010_002E { return [] }
            try pcsc("SCardListReaders", rv)
            var buffer = [CChar](repeating: 0, count: Int(size))
            rv = SCardListReaders(ctx, nil, &buffer, &size)
            if UInt32(truncatingIfNeeded: rv) == 0x8010_002E { return [] }
            if UInt32(truncatingIfNeeded: rv) == 0x8010_0008 { continue }  // a reader appeared in between
            try pcsc("SCardListReaders", rv)
            return parseMultiString(buffer.prefix(Int(size)))
        }
        throw PCSCError.insufficientBuffer
    }

    /// The current state of every reader, without waiting.
    public func readerStates() async throws -> [ReaderState] {
        let h = Int(handle)
        return try await executor.run {
            let ctx = SCARDCONTEXT(h)
            let names = try Self.listReaders(ctx)
            if names.isEmpty { return [] }
            var tracker = ReaderStateTracker(readers: names)
            try tracker.wait(ctx, timeoutMilliseconds: 0)
            return tracker.states
        }
    }

    /// Connects to the card in `reader`.
    public func connect(reader: String, share: ShareMode = .shared, protocols: CardProtocols = .any) async throws -> PCSCCard {
        let h = Int(handle)
        let (card, proto) = try await executor.run { () -> (Int, UInt32) in
            var card: SCARDHANDLE = 0
            var active: DWORD = 0
            try pcsc("SCardConnect", SCardConnect(SCARDCONTEXT(h), reader, DWORD(share.rawValue), DWORD(protocols.rawValue), &card, &active))
            return (Int(card), UInt32(truncatingIfNeeded: active))
        }
        return PCSCCard(context: self, reader: reader, handle: SCARDHANDLE(card), protocol: CardProtocol(dword: DWORD(proto)), share: share)
    }

    /// A direct connection to the reader itself (no card needed), for SCardControl and attributes.
    public func connectDirect(reader: String) async throws -> PCSCCard {
        try await connect(reader: reader, share: .direct, protocols: [])
    }

    /// Reader and card events until the consuming task is cancelled. See `ReaderEvents`.
    public static func events(includeCurrent: Bool = true) -> ReaderEvents {
        ReaderEvents(includeCurrent: includeCurrent)
    }

    /// Waits until a card is present in a reader matching `filter` (exact name or case-insensitive
    /// substring; nil = any), up to `timeout`. Event-driven: no polling.
    public static func waitForCard(reader filter: String? = nil, timeout: Duration) async throws -> (reader: String, atr: [UInt8]) {
        try await withThrowingTaskGroup(of: (String, [UInt8])?.self) { group in
            group.addTask {
                for try await event in ReaderEvents(includeCurrent: true) {
                    if case let .cardInserted(reader, atr) = event, ReaderName.matches(reader, filter) {
                        return (reader, atr)
                    }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let r = result { return (r.0, r.1) }
                break
            }
            throw PCSCError.timeout
        }
    }
}

/// Splits a PC/SC multi-string (names separated by NUL, ending with two NULs).
func parseMultiString<C: Collection>(_ buffer: C) -> [String] where C.Element == CChar {
    var names = [String]()
    var current = [UInt8]()
    for c in buffer {
        if c == 0 {
            if !current.isEmpty { names.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll()
        } else {
            current.append(UInt8(bitPattern: c))
        }
    }
    if !current.isEmpty { names.append(String(decoding: current, as: UTF8.self)) }
    return names
}

/// Reader-name matching as the CLI documents it.
public enum ReaderName {
    /// Exact name, or a case-insensitive substring; nil matches every reader.
    public static func matches(_ name: String, _ filter: String?) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        return name == filter || name.lowercased().contains(filter.lowercased())
    }
}
