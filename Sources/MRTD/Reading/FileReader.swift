import ISO7816

/// Reads elementary files in as few APDUs as card and reader allow: one READ BINARY per file when
/// both carry extended length.
///
/// The first command selects the file by SFI and asks for as much as the channel carries (an
/// extended Le of up to 64 KB under secure messaging, 223 bytes with short AES-SM APDUs); the TLV
/// header in that answer gives the file's length, and the rest is asked for only if the card
/// returned less. Offsets beyond 32767 use odd-INS READ BINARY (B1) with DO54. When the card
/// objects to a size (6700, 6Cxx, 6B00/6A86, or a short 6282 answer), the read steps down — first
/// to the largest block a short APDU carries after secure-messaging overhead — and what the card
/// refused is remembered in `memory` for the rest of the session (share it between readers with
/// `init(channel:memory:progress:)`).
public final class FileReader: Sendable {
    public let channel: any CardChannel
    /// What the card accepted and refused so far.
    public let memory: FileReadMemory
    private let totalRead = Locked(0)
    private let progress: (@Sendable (ReadProgress) -> Void)?

    public init(channel: any CardChannel, memory: FileReadMemory = FileReadMemory(),
                progress: (@Sendable (ReadProgress) -> Void)? = nil) {
        self.channel = channel
        self.memory = memory
        self.progress = progress
    }

    /// The read size currently in force (after any step-down).
    public var chunkSize: Int { memory.size(for: channel) }

    /// Reads a whole file. Throws `MRTDError.fileNotReadable` with the card's status when the file
    /// is absent (6A82) or protected (6982).
    public func read(_ file: LDSFileID) async throws -> [UInt8] {
        try Task.checkCancellation()
        let (first, exactLe) = try await readHead(file)
        var data = first
        let header: TLV.Header
        do { header = try TLV.parseHeader(data) } catch {
            throw LDSError(file.description, "file header: \(error)")
        }
        let total = header.totalLength
        guard total <= 1 << 24 else { throw LDSError(file.description, "declared length \(total) is implausible") }
        if data.count > total { data = Array(data.prefix(total)) }
        // The card named an exact Le (6Cxx) and the file goes on past it: that is its block size.
        if let exactLe, data.count < total { memory.limit(to: exactLe) }
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
        let all = totalRead.withLock { t -> Int in
            t += added
            return t
        }
        progress?(ReadProgress(file: file, bytesRead: n, fileLength: total, totalBytesRead: all))
    }

    /// The file from offset 0, as much as one answer carries: by SFI (which selects it implicitly),
    /// falling back to SELECT + READ for cards without SFI reads. Also returns the Le the card
    /// named with 6Cxx, if it did.
    private func readHead(_ file: LDSFileID) async throws -> ([UInt8], Int?) {
        if memory.useSFI {
            var exactLe: Int?
            for _ in 0..<8 {
                let size = exactLe ?? memory.size(for: channel)
                let r: ResponseAPDU
                do {
                    r = try await channel.transmit(CommandAPDU(ins: 0xB0, p1: 0x80 | file.sfi, p2: 0, ne: size))
                } catch let e as ISO7816Error where e.code == .invalidLength || e.code == .dataTooLong {
                    // A plain channel that cannot carry this Le: short APDUs from now on.
                    guard memory.refuse(size: size, shortBlock: channel.maxShortNe) else { throw e }
                    continue
                }
                switch r.status.meaning {
                case .success where !r.data.isEmpty, .endOfFile where !r.data.isEmpty:
                    return (r.data, exactLe)
                case .fileNotFound, .securityNotSatisfied:
                    throw MRTDError.fileNotReadable(file.description, r.status)
                case .wrongLength:
                    if memory.refuse(size: size, shortBlock: channel.maxShortNe) { exactLe = nil; continue }
                case .wrongLe(let n) where n != size:
                    exactLe = n
                    continue
                default:
                    break
                }
                break
            }
            // This card does not do SFI reads: select by file identifier from now on.
            memory.disableSFI()
        }
        let fid = file.fid
        let sel = try await channel.transmit(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [UInt8(fid >> 8), UInt8(fid & 0xFF)]))
        guard sel.status.isSuccess else { throw MRTDError.fileNotReadable(file.description, sel.status) }
        return (try await readChunk(file, offset: 0, wanted: nil), nil)
    }

    /// One READ BINARY at `offset` of the selected file, stepping down until the card accepts it.
    /// `wanted`: the bytes left in the file, nil while its length is unknown.
    private func readChunk(_ file: LDSFileID, offset: Int, wanted: Int?) async throws -> [UInt8] {
        var exactLe: Int?
        for _ in 0..<16 {
            let size = exactLe ?? min(memory.size(for: channel), wanted ?? .max)
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
                guard memory.refuse(size: size, shortBlock: channel.maxShortNe) else { throw e }
                exactLe = nil
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
                if r.status.meaning == .endOfFile, let wanted, data.count < size && data.count < wanted {
                    // The card stopped early: take what came, read the rest in smaller pieces.
                    if data.isEmpty { memory.limit(to: max(16, size / 2)); continue }
                    memory.limit(to: max(16, data.count))
                }
                if let exactLe, let wanted, data.count < wanted { memory.limit(to: exactLe) }
                return data
            case .wrongLength:
                if !memory.refuse(size: size, shortBlock: channel.maxShortNe) { memory.limit(to: max(16, size / 2)) }
                exactLe = nil
            case .wrongLe(let n) where n != size:
                exactLe = n
            case .wrongP1P2, .incorrectP1P2:
                memory.limit(to: max(16, size / 2))
                exactLe = nil
            default:
                throw MRTDError.fileNotReadable(file.description, r.status)
            }
        }
        throw LDSError(file.description, "card refused every read size at offset \(offset)")
    }
}

/// What a card accepted and refused during one session, shared by the file readers of that
/// session (plain and under secure messaging): whether it takes extended Le, the largest block it
/// hands out, and whether it reads by SFI. Sizes are plaintext bytes, so the memory carries over
/// when the secure-messaging keys or cipher change (Chip Authentication).
public final class FileReadMemory: Sendable {
    private let state = Locked((extendedRefused: false, cap: Int.max, useSFI: true))

    public init() {}

    /// Whether an extended Le was refused: short APDUs only from then on.
    public var extendedRefused: Bool { state.current.extendedRefused }
    public var useSFI: Bool { state.current.useSFI }

    /// The Le to ask for over `channel`: all the channel carries, within what the card accepted.
    public func size(for channel: any CardChannel) -> Int {
        let s = state.current
        let channelMax = s.extendedRefused ? min(channel.maxShortNe, channel.limits.maxNe) : channel.limits.maxNe
        return max(1, min(s.cap, channelMax))
    }

    /// The card refused `size`. Above the short block: short APDUs from now on (returns true).
    /// At or below it there is nothing the transport can change (returns false).
    func refuse(size: Int, shortBlock: Int) -> Bool {
        guard size > shortBlock else { return false }
        state.withLock { $0.extendedRefused = true }
        return true
    }

    /// The card handed out at most `n` bytes: never ask for more.
    func limit(to n: Int) {
        state.withLock { $0.cap = max(1, min($0.cap, n)) }
    }

    func disableSFI() { state.withLock { $0.useSFI = false } }
}
