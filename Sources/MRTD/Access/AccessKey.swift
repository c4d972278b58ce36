import MRTDCrypto

/// The secret that opens a chip: MRZ data (BAC, PACE-MRZ), a CAN, a PIN or a PUK.
///
/// `description` never reveals the secret, so an access key can be logged or put in an error.
public enum AccessKey: Hashable, Sendable, CustomStringConvertible {
    /// Document number, date of birth and date of expiry (YYMMDD) as in the MRZ.
    case mrz(documentNumber: String, dateOfBirth: String, dateOfExpiry: String)
    /// Card Access Number, printed on the card (or, for the Vietnamese card, the last 6 ID digits).
    case can(String)
    case pin(String)
    case puk(String)

    /// PACE password reference (tag 0x83 of MSE:Set AT).
    public var passwordReference: UInt8 {
        switch self {
        case .mrz: return 1
        case .can: return 2
        case .pin: return 3
        case .puk: return 4
        }
    }

    public var passwordName: String {
        switch self {
        case .mrz: return "MRZ"
        case .can: return "CAN"
        case .pin: return "PIN"
        case .puk: return "PUK"
        }
    }

    /// Validates the shape of the key (digits, dates), throwing a typed error naming the field.
    /// Digits are ASCII 0-9 only (`ASCIIDigits`): "٠١٢٣٤٥" is not a CAN.
    public func validate() throws {
        switch self {
        case let .mrz(number, dob, doe):
            guard !number.isEmpty, number.count <= 22, number.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ASCIIDigits.isDigit($0) || $0 == 0x3C }) else {
                throw AccessKeyError.invalidDocumentNumber
            }
            for (d, f) in [(dob, "dateOfBirth"), (doe, "dateOfExpiry")] {
                guard ASCIIDigits.isDigits(d, count: 6) else { throw AccessKeyError.invalidDate(field: f) }
            }
        case .can(let c):
            guard ASCIIDigits.isDigits(c, count: 6) else { throw AccessKeyError.invalidCAN }
        case .pin(let p), .puk(let p):
            guard (4...12).contains(p.utf8.count), ASCIIDigits.isDigits(p) else { throw AccessKeyError.invalidPIN }
        }
    }

    /// The MRZ information string (document number + cd + DOB + cd + DOE + cd), for MRZ keys.
    public var mrzInformation: String? {
        guard case let .mrz(number, dob, doe) = self else { return nil }
        let n = MRZ.padNumber(number.uppercased())
        func cd(_ s: String) -> String { CheckDigit.character(s).map(String.init) ?? "<" }
        return n + cd(n) + dob + cd(dob) + doe + cd(doe)
    }

    /// The key seed for BAC: SHA-1 of the MRZ information, first 16 bytes. Nil for non-MRZ keys.
    public var bacKeySeed: [UInt8]? {
        guard let info = mrzInformation else { return nil }
        return Array(HashAlgorithm.sha1.hash(Array(info.utf8)).prefix(16))
    }

    /// The PACE password bytes π: SHA-1(MRZ information) for MRZ, the ISO 8859-1 digits otherwise.
    public var pacePassword: [UInt8] {
        switch self {
        case .mrz: return HashAlgorithm.sha1.hash(Array((mrzInformation ?? "").utf8))
        case .can(let s), .pin(let s), .puk(let s): return Array(s.utf8)
        }
    }

    public var description: String { "AccessKey(\(passwordName), redacted)" }
}

public enum AccessKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidDocumentNumber
    case invalidDate(field: String)
    case invalidCAN
    case invalidPIN

    public var description: String {
        switch self {
        case .invalidDocumentNumber: return "document number must be 1-22 characters A-Z, 0-9 or '<'"
        case .invalidDate(let f): return "\(f) must be YYMMDD"
        case .invalidCAN: return "CAN must be exactly 6 digits"
        case .invalidPIN: return "PIN/PUK must be 4-12 digits"
        }
    }
}
