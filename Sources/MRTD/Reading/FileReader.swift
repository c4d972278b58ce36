import ISO7816

/// Reads elementary files in as few APDUs as card and reader allow.
///
/// The TLV header comes first (one short read, by SFI when possible so no SELECT is needed), then
/// the rest in the largest chunks the channel carries — one extended READ BINARY when both sides
/// support it. Offsets beyond 32767 use odd-INS READ BINARY (B1) with DO54. When the card objects
/// to a size (6700, 6Cxx, 6B00, or a short 6282 answer), the chunk steps down and the smaller size
/// is remembered for the rest of the session.
public final class FileReader: @unchecked Sendable {
    public let channel: any CardChannel
    private let state: Locked<(chunk: Int, useSFI: Bool, total: Int)>
    private let progress: (@Sendable (ReadProgress) -> Void)?

    /// Bytes asked for when only the header is wanted: tag (≤2) + length (≤4), plus slack.
    static let headerProbe = 8

    public init(channel: any CardChannel, progress: (@Sendable (ReadProgress) -> Void)? = nil) {
        self.channel = channel
        self.progress = progress
        state = Locked((channel.limits.maxNe, true, 0))
    }

    /// The read size currently in force (after any step-down).
    public var chunkSize: Int { state.current.chunk }

    /// Reads a whole file. Throws `MRTDError.fileNotReadable` with the card's status when the file
    /// is absent (6A82) or protected (6982).
    public func read(_ file: LDSFileID) async throws -> [UInt8] {
        var data = try await readHead(file)
        let header: TLV.Header
        do { header = try TLV.parseHeader(data) } catch {
            throw LDSError(file.description, "file header: \(error)")
        }
        let total = header.totalLength
        guard total <= 1 << 24 else { throw LDSError(file.description, "declared length \(total) is implausible") }
        if data.count > total { data = Array(data.prefix(total)) }
        report(file, data.count, total, added: data.count)
        while data.count < total {
            try Task.checkCancellation()
            let chunk = try await readChunk(file, offset: data.count, wanted: total - data.count)
            guard !chunk.isEmpty else { throw LDSError(file.description, "card returned no data at offset \(data.count) of \(total)") }
            let added = min(chunk.count, total - data.count)
            data += chunk.prefix(added)
            report(file, data.count, total, added: added)
        }
        return data
    }

    private func report(_ file: LDSFileID, _ n: Int, _ total: Int, added: Int) {
        let all = state.withLock { s -> Int in
            s.total += added
            return s.total
        }
        progress?(ReadProgress(file: file, bytesRead: n, fileLength: total, totalBytesRead: all))
    }

    /// First bytes of the file: by SFI (selects it implicitly), falling back to SELECT + READ.
    private func readHead(_ file: LDSFileID) async throws -> [UInt8] {
        if state.current.useSFI {
            let r = try await channel.transmit(CommandAPDU(ins: 0xB0, p1: 0x80 | file.sfi, p2: 0, ne: Self.headerProbe))
            switch r.status.meaning {
            case .success where !r.data.isEmpty, .endOfFile where !r.data.isEmpty:
                return r.data
            case .fileNotFound, .securityNotSatisfied:
                throw MRTDError.fileNotReadable(file.description, r.status)
            default:
                // This card does not do SFI reads: select by file identifier from now on.
                state.withLock { $0.useSFI = false }
            }
        }
        let fid = file.fid
        let sel = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [UInt8(fid >> 8), UInt8(fid & 0xFF)]))
        guard sel.status.isSuccess else { throw MRTDError.fileNotReadable(file.description, sel.status) }
        let r = try await channel.transmit(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: Self.headerProbe))
        switch r.status.meaning {
        case .success where !r.data.isEmpty, .endOfFile where !r.data.isEmpty: return r.data
        default: throw MRTDError.fileNotReadable(file.description, r.status)
        }
    }

    /// One READ BINARY at `offset`, stepping down the chunk size until the card accepts it.
    private func readChunk(_ file: LDSFileID, offset: Int, wanted: Int) async throws -> [UInt8] {
        for _ in 0..<12 {
            let size = min(state.current.chunk, wanted)
            let command: CommandAPDU
            let odd = offset > 0x7FFF
            if odd {
                let off = PACE.minimalUnsigned(offset)
                // Response carries DO53 around the data: leave room for its header.
                let ne = min(size + 5, channel.limits.maxNe)
                command = CommandAPDU(ins: 0xB1, p1: 0, p2: 0, data: TLV(tag: 0x54, value: off).encoded, ne: ne)
            } else {
                command = CommandAPDU(ins: 0xB0, p1: UInt8(offset >> 8), p2: UInt8(offset & 0xFF), ne: size)
            }
            let r: ResponseAPDU
            do {
                r = try await channel.transmit(command)
            } catch let e as ISO7816Error where e.code == .invalidLength || e.code == .dataTooLong {
                stepDown(to: 256)
                continue
            }
            switch r.status.meaning {
            case .success, .endOfFile:
                var data = r.data
                if odd {
                    guard let tlv = try? TLV.parse(data), tlv.tag == 0x53 else {
                        throw LDSError(file.description, "odd-INS READ BINARY without DO53")
                    }
                    data = tlv.value
                }
                if r.status.meaning == .endOfFile && data.count < size && data.count < wanted {
                    // The card stopped early: take what came, read the rest in smaller pieces.
                    if data.isEmpty { stepDown(to: max(16, size / 2)); continue }
                    stepDown(to: max(16, data.count))
                }
                return data
            case .wrongLength:
                stepDown(to: size > 256 ? 256 : max(16, size / 2))
            case .wrongLe(let n):
                stepDown(to: n)
            case .wrongP1P2, .incorrectP1P2:
                stepDown(to: max(16, size / 2))
            default:
                throw MRTDError.fileNotReadable(file.description, r.status)
            }
        }
        throw LDSError(file.description, "card refused every read size at offset \(offset)")
    }

    private func stepDown(to n: Int) {
        state.withLock { $0.chunk = max(1, min($0.chunk, n)) }
    }
}
