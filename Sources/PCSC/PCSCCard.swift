internal import CPCSC
import ISO7816

/// A connection to a card (or, in direct mode, to a reader).
///
/// Owns the `SCARDHANDLE` and disconnects (leaving the card powered) in `deinit` if the caller did
/// not. Keeps its context alive. Calls are serialised on the context's queue.
public final class PCSCCard: @unchecked Sendable {
    public let reader: String
    public let context: PCSCContext
    public let share: ShareMode
    private let state: Locked<(handle: SCARDHANDLE, proto: CardProtocol?, connected: Bool)>

    init(context: PCSCContext, reader: String, handle: SCARDHANDLE, protocol proto: CardProtocol?, share: ShareMode) {
        self.context = context
        self.reader = reader
        self.share = share
        state = Locked((handle, proto, true))
    }

    deinit {
        let s = state.current
        if s.connected { _ = SCardDisconnect(s.handle, DWORD(Disposition.leave.rawValue)) }
    }

    /// The protocol negotiated at connect or reconnect time.
    public var activeProtocol: CardProtocol? { state.current.proto }

    private func handle() throws -> Int {
        let s = state.current
        guard s.connected else { throw PCSCError.invalidHandle }
        return Int(s.handle)
    }

    // MARK: - Transmit

    /// Sends raw APDU bytes and returns the raw response (data + SW), with T=0 and "wrong Le"
    /// handling: `61xx` is followed by GET RESPONSE until the card has nothing more, `6Cxx` re-sends
    /// the command with the corrected Le. Both are bounded so a hostile card cannot loop us.
    public func transmit(_ command: [UInt8]) async throws -> [UInt8] {
        var response = try await transmitOnce(command)
        var collected = [UInt8]()
        var rounds = 0
        while response.count >= 2 {
            let sw1 = response[response.count - 2], sw2 = response[response.count - 1]
            rounds += 1
            if rounds > 256 || collected.count > 65536 { throw PCSCError.communicationDataLost }
            if sw1 == 0x61 {
                collected += response.dropLast(2)
                response = try await transmitOnce([(command.first ?? 0) & 0x03, 0xC0, 0x00, 0x00, sw2])
                continue
            }
            if sw1 == 0x6C, rounds == 1, let resent = Self.withLe(command, sw2) {
                response = try await transmitOnce(resent)
                continue
            }
            break
        }
        return collected.isEmpty ? response : collected + response
    }

    /// The command with its Le set to the length a 6Cxx answer asked for (`xx`, 0 meaning 256),
    /// in the command's own encoding: short Le replaced or appended; for an extended command the
    /// two-byte Le is replaced or appended, never a one-byte Le tacked onto extended fields.
    /// nil when the bytes are not a well-formed command (then nothing is re-sent).
    static func withLe(_ c: [UInt8], _ xx: UInt8) -> [UInt8]? {
        guard c.count >= 4 else { return nil }
        let header = Array(c.prefix(4))
        if c.count == 4 { return header + [xx] }                                 // case 1
        let extended = c[4] == 0 && c.count >= 7
        if !extended {
            let lc = Int(c[4])
            if c.count == 5 { return header + [xx] }                             // case 2S
            if c.count == 5 + lc { return c + [xx] }                             // case 3S
            if c.count == 6 + lc { return Array(c.dropLast()) + [xx] }           // case 4S
            return nil
        }
        let le: [UInt8] = xx == 0 ? [0x01, 0x00] : [0x00, xx]
        if c.count == 7 { return header + [0x00] + le }                          // case 2E
        let lc = Int(c[5]) << 8 | Int(c[6])
        if c.count == 7 + lc { return c + le }                                   // case 3E
        if c.count == 9 + lc { return Array(c.dropLast(2)) + le }                // case 4E
        return nil
    }

    /// Sends an APDU, choosing the short encoding when it fits.
    public func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU {
        try ResponseAPDU(bytes: try await transmit(try command.encoded()))
    }

    /// One SCardTransmit. A "successful" answer without a status word is what pcscd returns when
    /// the card vanished mid-command (vpcd does this); it becomes the card-gone error SCardStatus
    /// reports, or `communicationDataLost`.
    private func transmitOnce(_ command: [UInt8]) async throws -> [UInt8] {
        let response: [UInt8]
        do {
            response = try await transmitRaw(command)
        } catch let e as PCSCError where !e.isCardGone {
            // pcscd reports a vanished card as a generic transaction or communication failure
            // until its next presence poll; SCardStatus tells the real reason.
            do { _ = try await status() } catch let gone as PCSCError where gone.isCardGone { throw gone }
            throw e
        }
        if response.count >= 2 { return response }
        do {
            _ = try await status()
        } catch let e as PCSCError where e.isCardGone {
            throw e
        }
        throw PCSCError.communicationDataLost
    }

    private func transmitRaw(_ command: [UInt8]) async throws -> [UInt8] {
        let h = try handle()
        let proto = activeProtocol
        return try await context.executor.run {
            let pci: UnsafePointer<SCARD_IO_REQUEST>
            switch proto {
            case .t0: pci = CPCSC_pciT0()
            case .raw: pci = CPCSC_pciRaw()
            default: pci = CPCSC_pciT1()
            }
            var out = [UInt8](repeating: 0, count: Int(CPCSC_maxBufferExtended()))
            var outLength = DWORD(out.count)
            let rv = command.withUnsafeBufferPointer { c in
                SCardTransmit(SCARDHANDLE(h), pci, c.baseAddress, DWORD(c.count), nil, &out, &outLength)
            }
            try pcsc("SCardTransmit", rv)
            return Array(out.prefix(Int(outLength)))
        }
    }

    // MARK: - Control, attributes, status

    /// Sends a vendor control code (SCardControl). `code` is the raw vendor number, mapped with
    /// SCARD_CTL_CODE for the platform.
    public func control(code: UInt32, data: [UInt8] = []) async throws -> [UInt8] {
        let h = try handle()
        return try await context.executor.run {
            var out = [UInt8](repeating: 0, count: 65548)
            var returned: DWORD = 0
            let rv = data.withUnsafeBufferPointer { d in
                CPCSC_control(SCARDHANDLE(h), CPCSC_ctlCode(DWORD(code)), d.baseAddress, DWORD(d.count), &out, DWORD(out.count), &returned)
            }
            try pcsc("SCardControl", rv)
            return Array(out.prefix(Int(returned)))
        }
    }

    /// Reads a reader attribute (SCardGetAttrib). pcsc-lite does not report sizes for a NULL
    /// buffer reliably, so this asks with a normal buffer first and an extended one if needed.
    public func attribute(_ attribute: ReaderAttribute) async throws -> [UInt8] {
        let h = try handle()
        return try await context.executor.run {
            for capacity in [264, Int(CPCSC_maxBufferExtended())] {
                var out = [UInt8](repeating: 0, count: capacity)
                var size = DWORD(capacity)
                let rv = SCardGetAttrib(SCARDHANDLE(h), attribute.id, &out, &size)
                if UInt32(truncatingIfNeeded: rv) == 0x8010_0008 { continue }
                try pcsc("SCardGetAttrib", rv)
                return Array(out.prefix(Int(size)))
            }
            throw PCSCError.insufficientBuffer
        }
    }

    /// What SCardStatus reports about the connection.
    public struct Status: Sendable, Hashable {
        public var readerNames: [String]
        public var state: UInt32
        public var activeProtocol: CardProtocol?
        public var atr: [UInt8]
    }

    public func status() async throws -> Status {
        let h = try handle()
        return try await context.executor.run {
            var nameLength: DWORD = 0
            var st: DWORD = 0
            var proto: DWORD = 0
            var atr = [UInt8](repeating: 0, count: Int(CPCSC_maxATRSize()))
            var atrLength = DWORD(atr.count)
            try pcsc("SCardStatus", SCardStatus(SCARDHANDLE(h), nil, &nameLength, &st, &proto, &atr, &atrLength))
            var names = [CChar](repeating: 0, count: Int(nameLength) + 1)
            atrLength = DWORD(atr.count)
            try pcsc("SCardStatus", SCardStatus(SCARDHANDLE(h), &names, &nameLength, &st, &proto, &atr, &atrLength))
            return Status(
                readerNames: parseMultiString(names), state: UInt32(truncatingIfNeeded: st),
                activeProtocol: CardProtocol(dword: proto), atr: Array(atr.prefix(Int(atrLength))))
        }
    }

    /// The card's ATR.
    public func atr() async throws -> [UInt8] { try await status().atr }

    // MARK: - Connection lifecycle

    /// Re-establishes the connection, e.g. after `resetCard`, or resets the card to end a session
    /// (a failed PACE or secure-messaging error must start over from a reset).
    public func reconnect(share: ShareMode? = nil, protocols: CardProtocols = .any, initialization: Disposition = .reset) async throws {
        let h = try handle()
        let mode = share ?? self.share
        let proto = try await context.executor.run { () -> UInt32 in
            var active: DWORD = 0
            try pcsc("SCardReconnect", SCardReconnect(SCARDHANDLE(h), DWORD(mode.rawValue), DWORD(protocols.rawValue), DWORD(initialization.rawValue), &active))
            return UInt32(truncatingIfNeeded: active)
        }
        state.withLock { $0.proto = CardProtocol(dword: DWORD(proto)) }
    }

    /// Ends the connection. Further calls throw `invalidHandle`.
    public func disconnect(_ disposition: Disposition = .leave) async throws {
        let h: Int = try state.withLock { s in
            guard s.connected else { throw PCSCError.invalidHandle }
            s.connected = false
            return Int(s.handle)
        }
        try await context.executor.run {
            try pcsc("SCardDisconnect", SCardDisconnect(SCARDHANDLE(h), DWORD(disposition.rawValue)))
        }
    }

    // MARK: - Transactions

    /// Runs `body` with exclusive access to the card. The transaction always ends, on success,
    /// on error and on cancellation.
    public func withTransaction<T: Sendable>(_ body: (PCSCCard) async throws -> T) async throws -> T {
        let h = try handle()
        try await context.executor.run {
            try pcsc("SCardBeginTransaction", SCardBeginTransaction(SCARDHANDLE(h)))
        }
        let result: Result<T, Error>
        do {
            result = .success(try await body(self))
        } catch {
            result = .failure(error)
        }
        let end: Result<Void, Error> = await {
            do {
                try await context.executor.run {
                    try pcsc("SCardEndTransaction", SCardEndTransaction(SCARDHANDLE(h), DWORD(Disposition.leave.rawValue)))
                }
                return .success(())
            } catch { return .failure(error) }
        }()
        let value = try result.get()
        // A card removed inside the transaction ends it implicitly; that is not a second error.
        if case .failure(let e) = end, let pe = e as? PCSCError, !pe.isCardGone, pe != .invalidHandle {
            throw e
        }
        return value
    }
}
