internal import CPCSC
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Flags of a reader's state as SCardGetStatusChange reports them.
public struct ReaderStateFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let ignore = ReaderStateFlags(rawValue: 0x0001)
    public static let changed = ReaderStateFlags(rawValue: 0x0002)
    public static let unknown = ReaderStateFlags(rawValue: 0x0004)
    public static let unavailable = ReaderStateFlags(rawValue: 0x0008)
    public static let empty = ReaderStateFlags(rawValue: 0x0010)
    public static let present = ReaderStateFlags(rawValue: 0x0020)
    public static let atrMatch = ReaderStateFlags(rawValue: 0x0040)
    public static let exclusive = ReaderStateFlags(rawValue: 0x0080)
    public static let inUse = ReaderStateFlags(rawValue: 0x0100)
    public static let mute = ReaderStateFlags(rawValue: 0x0200)
    public static let unpowered = ReaderStateFlags(rawValue: 0x0400)
}

/// One reader's state: whether a card is there, its ATR, and how often the card changed.
public struct ReaderState: Sendable, Hashable {
    public var reader: String
    public var flags: ReaderStateFlags
    public var atr: [UInt8]
    /// pcsc-lite counts card insertions and removals in the high 16 bits of the event state, so a
    /// card swapped between two waits is still noticed.
    public var eventCount: Int

    public var cardPresent: Bool { flags.contains(.present) }
    public var cardMute: Bool { flags.contains(.mute) }
    public var inUse: Bool { flags.contains(.inUse) }
    public var exclusive: Bool { flags.contains(.exclusive) }
}

/// The PnP pseudo reader: SCardGetStatusChange on it returns when a reader is attached or detached.
let pnpNotificationReader = "\\\\?PnP?\\Notification"

/// Tracks reader states across SCardGetStatusChange calls, syncing "current" to "event" after each
/// wait as the API requires.
struct ReaderStateTracker {
    private(set) var readers: [String]
    private var current: [UInt32]
    private(set) var states: [ReaderState]
    let watchPnP: Bool
    private var pnpCurrent: UInt32 = 0

    init(readers: [String], watchPnP: Bool = false) {
        self.readers = readers
        self.watchPnP = watchPnP
        current = Array(repeating: 0, count: readers.count)
        states = readers.map { ReaderState(reader: $0, flags: [], atr: [], eventCount: 0) }
    }

    /// Replaces the reader list after attach/detach, keeping what is known of the remaining readers.
    mutating func setReaders(_ names: [String]) {
        var newCurrent = [UInt32]()
        var newStates = [ReaderState]()
        for name in names {
            if let i = readers.firstIndex(of: name) {
                newCurrent.append(current[i])
                newStates.append(states[i])
            } else {
                newCurrent.append(0)
                newStates.append(ReaderState(reader: name, flags: [], atr: [], eventCount: 0))
            }
        }
        readers = names
        current = newCurrent
        states = newStates
    }

    /// Outcome of one wait.
    struct Change {
        var previous: [ReaderState]
        var readersChanged: Bool
    }

    /// Blocks until a state differs from the last one seen (or the timeout passes). Returns nil on
    /// timeout. Throws `PCSCError.cancelled` when SCardCancel interrupts it.
    @discardableResult
    mutating func wait(_ ctx: SCARDCONTEXT, timeoutMilliseconds: UInt32?) throws -> Change? {
        let names = readers + (watchPnP ? [pnpNotificationReader] : [])
        let cNames = names.map { strdup($0)! }
        defer { cNames.forEach { free($0) } }
        var raw = [SCARD_READERSTATE]()
        for (i, n) in cNames.enumerated() {
            let cur = i < readers.count ? current[i] : pnpCurrent
            raw.append(CPCSC_readerState(n, DWORD(cur)))
        }
        let timeout: DWORD = timeoutMilliseconds.map { DWORD($0) } ?? CPCSC_infinite()
        let rv = SCardGetStatusChange(ctx, timeout, &raw, DWORD(raw.count))
        if UInt32(truncatingIfNeeded: rv) == 0x8010_000A { return nil }  // timeout
        try pcsc("SCardGetStatusChange", rv)
        let previous = states
        var readersChanged = false
        for (i, r) in raw.enumerated() {
            let event = UInt32(truncatingIfNeeded: r.dwEventState)
            if i >= readers.count {
                readersChanged = (event & 0x0002) != 0
                pnpCurrent = event & ~UInt32(0x0002)
                continue
            }
            current[i] = event & ~UInt32(0x0002)
            let count = Int(r.cbAtr)
            let atr = withUnsafeBytes(of: r.rgbAtr) { Array($0.prefix(min(count, $0.count))) }
            states[i] = ReaderState(
                reader: readers[i], flags: ReaderStateFlags(rawValue: event & 0xFFFF),
                atr: (event & 0x0020) != 0 ? atr : [], eventCount: Int(event >> 16))
        }
        return Change(previous: previous, readersChanged: readersChanged)
    }
}
