/// The two trailing bytes SW1 SW2 of every response.
public struct StatusWord: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public init(sw1: UInt8, sw2: UInt8) { rawValue = UInt16(sw1) << 8 | UInt16(sw2) }

    public var sw1: UInt8 { UInt8(rawValue >> 8) }
    public var sw2: UInt8 { UInt8(rawValue & 0xFF) }

    public static let success = StatusWord(0x9000)
    public static let securityNotSatisfied = StatusWord(0x6982)
    public static let fileNotFound = StatusWord(0x6A82)
    public static let wrongLength = StatusWord(0x6700)
    public static let insNotSupported = StatusWord(0x6D00)
    public static let smDataObjectsIncorrect = StatusWord(0x6988)
    public static let smDataObjectsMissing = StatusWord(0x6987)
    public static let endOfFile = StatusWord(0x6282)
    public static let wrongP1P2 = StatusWord(0x6B00)
    public static let conditionsNotSatisfied = StatusWord(0x6985)
    public static let authenticationFailed = StatusWord(0x6300)
    public static let referencedDataNotFound = StatusWord(0x6A88)
    public static let incorrectData = StatusWord(0x6A80)
    public static let funcNotSupported = StatusWord(0x6A81)
    public static let incorrectP1P2 = StatusWord(0x6A86)
    public static let lcInconsistent = StatusWord(0x6A87)
    public static let claNotSupported = StatusWord(0x6E00)
    public static let noPreciseDiagnosis = StatusWord(0x6F00)

    /// What a status word means, grouped the way a reader has to react to it.
    public enum Meaning: Hashable, Sendable {
        case success
        /// 61xx: more bytes are waiting for GET RESPONSE (T=0).
        case bytesAvailable(Int)
        /// 6Cxx: wrong Le; re-issue with this Le.
        case wrongLe(Int)
        /// 6282: end of file reached before Le bytes were read.
        case endOfFile
        case warning
        /// 63Cx: verification failed, x tries left.
        case verificationFailed(retriesLeft: Int?)
        case wrongLength
        case securityNotSatisfied
        case authenticationMethodBlocked
        case conditionsNotSatisfied
        case smDataObjectsMissing
        case smDataObjectsIncorrect
        case incorrectData
        case functionNotSupported
        case fileNotFound
        case recordNotFound
        case incorrectP1P2
        case lcInconsistent
        case referencedDataNotFound
        case wrongP1P2
        case insNotSupported
        case claNotSupported
        case noPreciseDiagnosis
        case memoryFailure
        case other
    }

    public var meaning: Meaning {
        switch rawValue {
        case 0x9000: return .success
        case 0x6282: return .endOfFile
        case 0x6300: return .verificationFailed(retriesLeft: nil)
        case 0x6700: return .wrongLength
        case 0x6581: return .memoryFailure
        case 0x6982: return .securityNotSatisfied
        case 0x6983: return .authenticationMethodBlocked
        case 0x6985: return .conditionsNotSatisfied
        case 0x6987: return .smDataObjectsMissing
        case 0x6988: return .smDataObjectsIncorrect
        case 0x6A80: return .incorrectData
        case 0x6A81: return .functionNotSupported
        case 0x6A82: return .fileNotFound
        case 0x6A83: return .recordNotFound
        case 0x6A86: return .incorrectP1P2
        case 0x6A87: return .lcInconsistent
        case 0x6A88: return .referencedDataNotFound
        case 0x6B00: return .wrongP1P2
        case 0x6D00: return .insNotSupported
        case 0x6E00: return .claNotSupported
        case 0x6F00: return .noPreciseDiagnosis
        default:
            switch sw1 {
            case 0x61: return .bytesAvailable(sw2 == 0 ? 256 : Int(sw2))
            case 0x6C: return .wrongLe(sw2 == 0 ? 256 : Int(sw2))
            case 0x63 where sw2 & 0xF0 == 0xC0: return .verificationFailed(retriesLeft: Int(sw2 & 0x0F))
            case 0x62, 0x63: return .warning
            default: return .other
            }
        }
    }

    public var isSuccess: Bool { rawValue == 0x9000 }

    /// 9000 and the 61xx/62xx/63xx warnings that still carry data.
    public var isNormalOrWarning: Bool { rawValue == 0x9000 || sw1 == 0x61 || sw1 == 0x62 || sw1 == 0x63 }

    public var description: String {
        let hex = [sw1, sw2].hex
        return "\(hex) (\(humanMeaning))"
    }

    /// A short English phrase for error messages.
    public var humanMeaning: String {
        switch meaning {
        case .success: return "success"
        case .bytesAvailable(let n): return "\(n) bytes available"
        case .wrongLe(let n): return "wrong Le, \(n) expected"
        case .endOfFile: return "end of file reached"
        case .warning: return "warning"
        case .verificationFailed(let n): return n.map { "verification failed, \($0) tries left" } ?? "authentication failed"
        case .wrongLength: return "wrong length"
        case .securityNotSatisfied: return "security status not satisfied"
        case .authenticationMethodBlocked: return "authentication method blocked"
        case .conditionsNotSatisfied: return "conditions of use not satisfied"
        case .smDataObjectsMissing: return "secure messaging data objects missing"
        case .smDataObjectsIncorrect: return "secure messaging data objects incorrect"
        case .incorrectData: return "incorrect data"
        case .functionNotSupported: return "function not supported"
        case .fileNotFound: return "file not found"
        case .recordNotFound: return "record not found"
        case .incorrectP1P2: return "incorrect P1/P2"
        case .lcInconsistent: return "Lc inconsistent with P1/P2"
        case .referencedDataNotFound: return "referenced data not found"
        case .wrongP1P2: return "wrong P1/P2"
        case .insNotSupported: return "instruction not supported"
        case .claNotSupported: return "class not supported"
        case .noPreciseDiagnosis: return "no precise diagnosis"
        case .memoryFailure: return "memory failure"
        case .other: return "unknown status"
        }
    }
}
