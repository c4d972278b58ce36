internal import CPCSC

/// The transmission protocol negotiated with a card.
public enum CardProtocol: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case t0 = "T=0"
    case t1 = "T=1"
    case raw = "RAW"

    public var description: String { rawValue }

    init?(dword: DWORD) {
        switch UInt32(truncatingIfNeeded: dword) {
        case 0x0001: self = .t0
        case 0x0002: self = .t1
        case 0x0004: self = .raw
        default: return nil
        }
    }
}

/// Which protocols a connection may negotiate.
public struct CardProtocols: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let t0 = CardProtocols(rawValue: 0x0001)
    public static let t1 = CardProtocols(rawValue: 0x0002)
    public static let raw = CardProtocols(rawValue: 0x0004)
    public static let any: CardProtocols = [.t0, .t1]
}

/// How other applications may use the card while we hold it.
public enum ShareMode: UInt32, Sendable {
    case exclusive = 1
    case shared = 2
    /// Talk to the reader without a card (SCardControl only).
    case direct = 3
}

/// What to do with the card when a connection ends or is re-established.
public enum Disposition: UInt32, Sendable {
    case leave = 0
    case reset = 1
    case unpower = 2
    case eject = 3
}

/// Reader attributes readable with SCardGetAttrib.
public enum ReaderAttribute: Sendable, Hashable, CaseIterable {
    case vendorName, vendorIFDType, vendorIFDVersion, vendorIFDSerial, maxInput, atr, friendlyName, channelID

    var id: DWORD {
        switch self {
        case .vendorName: return CPCSC_attrVendorName()
        case .vendorIFDType: return CPCSC_attrVendorIFDType()
        case .vendorIFDVersion: return CPCSC_attrVendorIFDVersion()
        case .vendorIFDSerial: return CPCSC_attrVendorIFDSerial()
        case .maxInput: return CPCSC_attrMaxInput()
        case .atr: return CPCSC_attrATRString()
        case .friendlyName: return CPCSC_attrDeviceFriendlyName()
        case .channelID: return CPCSC_attrChannelID()
        }
    }
}
