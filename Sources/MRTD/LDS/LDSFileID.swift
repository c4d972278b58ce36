/// The elementary files of an eMRTD: their file identifier, short file identifier and outer tag.
public enum LDSFileID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    case cardAccess
    case cardSecurity
    case com
    case sod
    case dataGroup(Int)

    public static let allDataGroups: [LDSFileID] = (1...16).map { .dataGroup($0) }

    public var fid: UInt16 {
        switch self {
        case .cardAccess: return 0x011C
        case .cardSecurity: return 0x011D
        case .com: return 0x011E
        case .sod: return 0x011D
        // Parsers make only DG1-DG16; a number from elsewhere (a decoded JSON) outside 1...31
        // names a file no card has instead of trapping.
        case .dataGroup(let n): return (1...31).contains(n) ? 0x0100 + UInt16(n) : 0x01FF
        }
    }

    /// Short EF identifier (READ BINARY with P1 = 0x80 | SFI).
    public var sfi: UInt8 {
        switch self {
        case .cardAccess: return 0x1C
        case .cardSecurity: return 0x1D
        case .com: return 0x1E
        case .sod: return 0x1D
        case .dataGroup(let n): return (1...30).contains(n) ? UInt8(n) : 0x1F  // 1F is no SFI
        }
    }

    /// Whether the file sits in the MF (outside the eMRTD application).
    public var isInMasterFile: Bool { self == .cardAccess || self == .cardSecurity }

    /// The outer tag of the file's content.
    public var tag: UInt8? {
        switch self {
        case .com: return 0x60
        case .sod: return 0x77
        case .cardAccess, .cardSecurity: return 0x31
        case .dataGroup(let n):
            let tags: [UInt8] = [0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70]
            return (1...16).contains(n) ? tags[n - 1] : nil
        }
    }

    /// The data group with this LDS tag (from EF.COM's tag list).
    public static func forTag(_ t: UInt8) -> LDSFileID? {
        if t == 0x60 { return .com }
        if t == 0x77 { return .sod }
        return allDataGroups.first { $0.tag == t }
    }

    public var description: String {
        switch self {
        case .cardAccess: return "EF.CardAccess"
        case .cardSecurity: return "EF.CardSecurity"
        case .com: return "EF.COM"
        case .sod: return "EF.SOD"
        case .dataGroup(let n): return "DG\(n)"
        }
    }

    private var order: Int {
        switch self {
        case .cardAccess: return 0
        case .cardSecurity: return 1
        case .com: return 2
        case .sod: return 3
        case .dataGroup(let n): return 10 + n
        }
    }

    public static func < (a: LDSFileID, b: LDSFileID) -> Bool { a.order < b.order }
}
