/// Every error pcsc-lite (or the PCSC framework) can return, one case per `SCARD_E_*`, `SCARD_F_*`,
/// `SCARD_W_*` and `SCARD_P_*` code, each with a one-line human message.
public enum PCSCError: Error, Hashable, Sendable, CustomStringConvertible {
    case internalError
    case cancelled
    case invalidHandle
    case invalidParameter
    case invalidTarget
    case noMemory
    case waitedTooLong
    case insufficientBuffer
    case unknownReader
    case timeout
    case sharingViolation
    case noSmartcard
    case unknownCard
    case cantDispose
    case protocolMismatch
    case notReady
    case invalidValue
    case systemCancelled
    case communicationError
    case unknownError
    case invalidATR
    case notTransacted
    case readerUnavailable
    case shutdown
    case pciTooSmall
    case readerUnsupported
    case duplicateReader
    case cardUnsupported
    case noService
    case serviceStopped
    case unsupportedFeature
    case iccInstallation
    case iccCreateOrder
    case directoryNotFound
    case fileNotFound
    case noDirectory
    case noFile
    case noAccess
    case writeTooMany
    case badSeek
    case invalidCHV
    case unknownResourceManager
    case noSuchCertificate
    case certificateUnavailable
    case noReadersAvailable
    case communicationDataLost
    case noKeyContainer
    case serverTooBusy
    case unsupportedCard
    case unresponsiveCard
    case unpoweredCard
    case resetCard
    case removedCard
    case securityViolation
    case wrongCHV
    case chvBlocked
    case endOfFile
    case cancelledByUser
    case cardNotAuthenticated
    /// A code this library does not know.
    case unknown(UInt32)

    /// Maps a raw `LONG` return value; nil for `SCARD_S_SUCCESS`.
    public init?(code: UInt32) {
        switch code {
        case 0: return nil
        case 0x8010_0001: self = .internalError
        case 0x8010_0002: self = .cancelled
        case 0x8010_0003: self = .invalidHandle
        case 0x8010_0004: self = .invalidParameter
        case 0x8010_0005: self = .invalidTarget
        case 0x8010_0006: self = .noMemory
        case 0x8010_0007: self = .waitedTooLong
        case 0x8010_0008: self = .insufficientBuffer
        case 0x8010_0009: self = .unknownReader
        case 0x8010_000A: self = .timeout
        case 0x8010_000B: self = .sharingViolation
        case 0x8010_000C: self = .noSmartcard
        case 0x8010_000D: self = .unknownCard
        case 0x8010_000E: self = .cantDispose
        case 0x8010_000F: self = .protocolMismatch
        case 0x8010_0010: self = .notReady
        case 0x8010_0011: self = .invalidValue
        case 0x8010_0012: self = .systemCancelled
        case 0x8010_0013: self = .communicationError
        case 0x8010_0014: self = .unknownError
        case 0x8010_0015: self = .invalidATR
        case 0x8010_0016: self = .notTransacted
        case 0x8010_0017: self = .readerUnavailable
        case 0x8010_0018: self = .shutdown
        case 0x8010_0019: self = .pciTooSmall
        case 0x8010_001A: self = .readerUnsupported
        case 0x8010_001B: self = .duplicateReader
        case 0x8010_001C: self = .cardUnsupported
        case 0x8010_001D: self = .noService
        case 0x8010_001E: self = .serviceStopped
        case 0x8010_001F: self = .unsupportedFeature
        case 0x8010_0020: self = .iccInstallation
        case 0x8010_0021: self = .iccCreateOrder
        case 0x8010_0023: self = .directoryNotFound
        case 0x8010_0024: self = .fileNotFound
        case 0x8010_0025: self = .noDirectory
        case 0x8010_0026: self = .noFile
        case 0x8010_0027: self = .noAccess
        case 0x8010_0028: self = .writeTooMany
        case 0x8010_0029: self = .badSeek
        case 0x8010_002A: self = .invalidCHV
        case 0x8010_002B: self = .unknownResourceManager
        case 0x8010_002C: self = .noSuchCertificate
        case 0x8010_002D: self = .certificateUnavailable
        case 0x8010_002E: self = .noReadersAvailable
        case 0x8010_002F: self = .communicationDataLost
        case 0x8010_0030: self = .noKeyContainer
        case 0x8010_0031: self = .serverTooBusy
        case 0x8010_0065: self = .unsupportedCard
        case 0x8010_0066: self = .unresponsiveCard
        case 0x8010_0067: self = .unpoweredCard
        case 0x8010_0068: self = .resetCard
        case 0x8010_0069: self = .removedCard
        case 0x8010_006A: self = .securityViolation
        case 0x8010_006B: self = .wrongCHV
        case 0x8010_006C: self = .chvBlocked
        case 0x8010_006D: self = .endOfFile
        case 0x8010_006E: self = .cancelledByUser
        case 0x8010_006F: self = .cardNotAuthenticated
        default: self = .unknown(code)
        }
    }

    /// True when the card is gone, unreachable or was reset under us: the session cannot continue.
    public var isCardGone: Bool {
        switch self {
        case .removedCard, .noSmartcard, .resetCard, .unpoweredCard, .readerUnavailable, .unknownReader,
             .communicationDataLost: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .internalError: return "PC/SC internal error"
        case .cancelled: return "the PC/SC call was cancelled"
        case .invalidHandle: return "invalid PC/SC handle (context or card already released)"
        case .invalidParameter: return "invalid parameter passed to PC/SC"
        case .invalidTarget: return "invalid PC/SC target"
        case .noMemory: return "PC/SC ran out of memory"
        case .waitedTooLong: return "PC/SC internal wait took too long"
        case .insufficientBuffer: return "response buffer too small (the command already ran; do not resend)"
        case .unknownReader: return "no reader with that name"
        case .timeout: return "timed out waiting for the reader or card"
        case .sharingViolation: return "the card is in use by another application (sharing violation)"
        case .noSmartcard: return "no card in the reader"
        case .unknownCard: return "unknown card"
        case .cantDispose: return "the reader cannot dispose of the card as asked"
        case .protocolMismatch: return "the card does not support the requested protocol"
        case .notReady: return "the reader or card is not ready"
        case .invalidValue: return "invalid value passed to PC/SC"
        case .systemCancelled: return "the operation was cancelled by the system"
        case .communicationError: return "communication error with the reader"
        case .unknownError: return "unknown PC/SC error"
        case .invalidATR: return "the card's ATR is invalid"
        case .notTransacted: return "the exchange with the card failed (card removed or out of the field?)"
        case .readerUnavailable: return "the reader is unavailable (unplugged?)"
        case .shutdown: return "the PC/SC service is shutting down"
        case .pciTooSmall: return "PCI receive buffer too small"
        case .readerUnsupported: return "reader driver does not support this operation"
        case .duplicateReader: return "duplicate reader"
        case .cardUnsupported: return "the card is not supported"
        case .noService: return "the PC/SC service is not running — is pcscd running?"
        case .serviceStopped: return "the PC/SC service stopped — restart pcscd"
        case .unsupportedFeature: return "the reader does not support this feature"
        case .iccInstallation: return "no primary provider for the card"
        case .iccCreateOrder: return "the creation order is not supported"
        case .directoryNotFound: return "directory not found on the card"
        case .fileNotFound: return "file not found on the card"
        case .noDirectory: return "the path is not a directory"
        case .noFile: return "the path is not a file"
        case .noAccess: return "access to the file is denied"
        case .writeTooMany: return "the card is out of space"
        case .badSeek: return "error setting the file pointer"
        case .invalidCHV: return "the PIN is wrong"
        case .unknownResourceManager: return "unknown resource manager error"
        case .noSuchCertificate: return "no such certificate"
        case .certificateUnavailable: return "the certificate could not be obtained"
        case .noReadersAvailable: return "no smart-card reader is connected"
        case .communicationDataLost: return "communication with the card was lost"
        case .noKeyContainer: return "no key container"
        case .serverTooBusy: return "the PC/SC service is too busy"
        case .unsupportedCard: return "the card does not answer to reset properly"
        case .unresponsiveCard: return "the card is mute (not responding to reset)"
        case .unpoweredCard: return "the card is not powered"
        case .resetCard: return "the card was reset by another application; reconnect"
        case .removedCard: return "the card was removed"
        case .securityViolation: return "access denied because of a security violation"
        case .wrongCHV: return "the PIN is wrong"
        case .chvBlocked: return "the PIN is blocked"
        case .endOfFile: return "end of file reached"
        case .cancelledByUser: return "cancelled by the user"
        case .cardNotAuthenticated: return "no PIN was presented to the card"
        case .unknown(let c): return "unknown PC/SC error 0x\(String(c, radix: 16, uppercase: true))"
        }
    }
}
