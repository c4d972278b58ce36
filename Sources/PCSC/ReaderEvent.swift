import ISO7816

/// Something that happened to a reader or the card in it.
public enum ReaderEvent: Sendable, Hashable, CustomStringConvertible {
    case readerAttached(String)
    case readerDetached(String)
    case cardInserted(reader: String, atr: [UInt8])
    case cardRemoved(reader: String)
    /// A card is in the field but does not answer to reset.
    case cardMute(reader: String)

    public var reader: String {
        switch self {
        case .readerAttached(let r), .readerDetached(let r), .cardRemoved(let r), .cardMute(let r): return r
        case .cardInserted(let r, _): return r
        }
    }

    public var description: String {
        switch self {
        case .readerAttached(let r): return "reader attached: \(r)"
        case .readerDetached(let r): return "reader detached: \(r)"
        case .cardInserted(let r, let atr): return "card inserted: \(r) ATR \(atr.hex)"
        case .cardRemoved(let r): return "card removed: \(r)"
        case .cardMute(let r): return "card mute: \(r)"
        }
    }

    /// Events implied by going from `old` to `new` for one reader.
    static func transitions(from old: ReaderState?, to new: ReaderState) -> [ReaderEvent] {
        let wasPresent = old?.cardPresent ?? false
        let wasMute = old?.cardMute ?? false
        var out = [ReaderEvent]()
        // A card removed and inserted between two waits: the counter moved by two or more.
        if wasPresent, new.cardPresent, let old, new.eventCount - old.eventCount >= 2 {
            out.append(.cardRemoved(reader: new.reader))
            out.append(new.cardMute ? .cardMute(reader: new.reader) : .cardInserted(reader: new.reader, atr: new.atr))
            return out
        }
        if wasPresent && !new.cardPresent {
            out.append(.cardRemoved(reader: new.reader))
        } else if !wasPresent && new.cardPresent {
            out.append(new.cardMute ? .cardMute(reader: new.reader) : .cardInserted(reader: new.reader, atr: new.atr))
        } else if new.cardPresent && wasMute && !new.cardMute {
            out.append(.cardInserted(reader: new.reader, atr: new.atr))
        } else if new.cardPresent && !wasMute && new.cardMute {
            out.append(.cardMute(reader: new.reader))
        }
        return out
    }
}

