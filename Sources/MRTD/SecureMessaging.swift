import ISO7816
import MRTDCrypto

/// Why a secure-messaging exchange failed. Any of these ends the session.
public enum SecureMessagingError: Error, Hashable, Sendable, CustomStringConvertible {
    case macMismatch
    case missingMAC(StatusWord)
    case missingStatus
    case malformed(String)
    case badPadding
    case sessionClosed
    case counterExhausted

    public var description: String {
        switch self {
        case .macMismatch: return "response MAC does not verify"
        case .missingMAC(let sw): return "response without MAC (\(sw)); the card ended the session"
        case .missingStatus: return "response without protected status (DO99)"
        case .malformed(let s): return "malformed protected data: \(s)"
        case .badPadding: return "bad padding in decrypted data"
        case .sessionClosed: return "the secure-messaging session was closed after an earlier error"
        case .counterExhausted: return "send sequence counter exhausted"
        }
    }
}

/// Session keys and the send sequence counter of one secure-messaging session.
public struct SMKeys: Sendable, Hashable {
    public var cipher: SMCipher
    public var enc: [UInt8]
    public var mac: [UInt8]
    /// The send sequence counter: 8 bytes for 3DES, 16 for AES.
    public var ssc: [UInt8]

    public init(cipher: SMCipher, enc: [UInt8], mac: [UInt8], ssc: [UInt8]? = nil) {
        self.cipher = cipher
        self.enc = enc
        self.mac = mac
        self.ssc = ssc ?? [UInt8](repeating: 0, count: cipher.blockSize)
    }
}

/// ICAO 9303-11 §9.8 secure messaging, both directions: the reader protects commands and
/// unprotects responses; the simulated chip does the reverse. Pure value type: the caller owns the
/// state and serialises access.
public struct SecureMessagingCodec: Sendable {
    public private(set) var keys: SMKeys

    public init(keys: SMKeys) { self.keys = keys }

    public var cipher: SMCipher { keys.cipher }

    // MARK: - Primitives

    mutating func incrementSSC() throws {
        var i = keys.ssc.count - 1
        while i >= 0 {
            if keys.ssc[i] == 0xFF { keys.ssc[i] = 0; i -= 1 } else { keys.ssc[i] += 1; return }
        }
        throw SecureMessagingError.counterExhausted
    }

    func pad(_ d: [UInt8]) -> [UInt8] { ISO9797Padding.pad(d, blockSize: keys.cipher.blockSize) }

    /// MAC over SSC ‖ data (data not yet padded).
    func mac(_ data: [UInt8]) throws -> [UInt8] {
        let input = pad(keys.ssc + data)
        switch keys.cipher {
        case .tripleDES: return try TripleDES.retailMAC(key: keys.mac, input)
        default: return try AESCipher.cmac(key: keys.mac, input, length: 8)
        }
    }

    /// 3DES: zero IV. AES: IV = E(KSenc, SSC).
    private func iv() throws -> [UInt8] {
        switch keys.cipher {
        case .tripleDES: return [UInt8](repeating: 0, count: 8)
        default: return try AESCipher.encryptBlock(key: keys.enc, keys.ssc)
        }
    }

    func encrypt(_ plain: [UInt8]) throws -> [UInt8] {
        let p = pad(plain)
        switch keys.cipher {
        case .tripleDES: return try TripleDES.encryptCBC(key: keys.enc, iv: try iv(), p)
        default: return try AESCipher.encryptCBC(key: keys.enc, iv: try iv(), p)
        }
    }

    func decrypt(_ cipherText: [UInt8]) throws -> [UInt8] {
        guard !cipherText.isEmpty, cipherText.count % keys.cipher.blockSize == 0 else {
            throw SecureMessagingError.malformed("cryptogram is not whole blocks")
        }
        let p: [UInt8]
        switch keys.cipher {
        case .tripleDES: p = try TripleDES.decryptCBC(key: keys.enc, iv: try iv(), cipherText)
        default: p = try AESCipher.decryptCBC(key: keys.enc, iv: try iv(), cipherText)
        }
        guard let u = ISO9797Padding.unpad(p) else { throw SecureMessagingError.badPadding }
        return u
    }

    /// The encrypted data object: DO85 (odd INS, BER-TLV plaintext) or DO87 with padding indicator 01.
    func cryptogramObject(_ plain: [UInt8], oddINS: Bool) throws -> [UInt8] {
        let enc = try encrypt(plain)
        return oddINS ? TLV(tag: 0x85, value: enc).encoded : TLV(tag: 0x87, value: [0x01] + enc).encoded
    }

    /// The plaintext of a DO85 or DO87 (whose first byte must be the padding indicator 01).
    func decryptCryptogram(_ object: TLV) throws -> [UInt8] {
        guard object.tag == 0x87 else { return try decrypt(object.value) }
        guard object.value.first == 0x01 else { throw SecureMessagingError.malformed("DO87 without padding indicator 01") }
        return try decrypt(Array(object.value.dropFirst()))
    }

    // MARK: - Reader side

    /// Protects a command. `extended` forces the extended encoding for the protected APDU
    /// (needed when the response may exceed 256 bytes); an extended protected APDU asks for
    /// `maxResponseNe` bytes, what the transport carries.
    public mutating func protect(_ c: CommandAPDU, extended: Bool, maxResponseNe: Int = CommandAPDU.maxExtendedNe) throws -> CommandAPDU {
        guard c.cla & 0x0C == 0 else { throw SecureMessagingError.malformed("command is already protected") }
        // Nc and Ne within ISO 7816-4 limits, so the length bytes below always fit.
        do { try c.validate() } catch { throw SecureMessagingError.malformed("\(error)") }
        let cla = c.cla | 0x0C
        let header = pad([cla, c.ins, c.p1, c.p2])
        // The counter moves first: the AES IV is E(KSenc, SSC) of this very command.
        try incrementSSC()
        var body: [UInt8] = try c.data.isEmpty ? [] : cryptogramObject(c.data, oddINS: c.ins & 1 == 1)
        if let ne = c.ne {
            if ne <= 256 && !extended {
                body += [0x97, 0x01, ne == 256 ? 0 : UInt8(ne)]
            } else {
                let le = ne == 65536 ? 0 : ne
                body += [0x97, 0x02, UInt8(le >> 8), UInt8(le & 0xFF)]
            }
        }
        let m = try mac(header + body)
        body += [0x8E, 0x08] + m
        let useExtended = extended || body.count > 255
        let extendedNe = min(max(maxResponseNe, CommandAPDU.maxShortNe + 1), CommandAPDU.maxExtendedNe)
        return CommandAPDU(cla: cla, ins: c.ins, p1: c.p1, p2: c.p2, data: body, ne: useExtended ? extendedNe : 256)
    }

    /// Verifies and decrypts a protected response. Throws for every deviation: the caller must
    /// end the session on any error.
    public mutating func unprotect(_ r: ResponseAPDU) throws -> ResponseAPDU {
        try incrementSSC()
        if r.data.isEmpty {
            throw SecureMessagingError.missingMAC(r.status)
        }
        let objects: [TLV]
        do { objects = try TLV.parseAll(r.data) } catch { throw SecureMessagingError.malformed("response objects: \(error)") }
        var macInput = [UInt8]()
        var cryptogram: TLV?
        var status: [UInt8]?
        var mac: [UInt8]?
        for o in objects {
            switch o.tag {
            case 0x87, 0x85:
                guard cryptogram == nil, mac == nil else { throw SecureMessagingError.malformed("duplicate or misplaced data object") }
                cryptogram = o
                macInput += o.encoded
            case 0x99:
                guard status == nil, mac == nil, o.value.count == 2 else { throw SecureMessagingError.malformed("bad DO99") }
                status = o.value
                macInput += o.encoded
            case 0x8E:
                guard mac == nil, o.value.count == 8 else { throw SecureMessagingError.malformed("bad DO8E") }
                mac = o.value
            default:
                throw SecureMessagingError.malformed("unexpected data object \(o.tag)")
            }
        }
        guard let mac else { throw SecureMessagingError.missingMAC(r.status) }
        guard let status else { throw SecureMessagingError.missingStatus }
        let expected = try self.mac(macInput)
        guard constantTimeEqual(expected, mac) else { throw SecureMessagingError.macMismatch }
        let data = try cryptogram.map(decryptCryptogram) ?? []
        return ResponseAPDU(data: data, status: StatusWord(sw1: status[0], sw2: status[1]))
    }

    // MARK: - Chip side

    /// Unwraps a protected command on the card side: verifies the MAC, decrypts the data,
    /// restores Ne. Throws for any deviation (the chip then answers 6988 and drops the session).
    public mutating func unprotectCommand(_ c: CommandAPDU) throws -> CommandAPDU {
        guard c.cla & 0x0C == 0x0C else { throw SecureMessagingError.malformed("command is not protected") }
        try incrementSSC()
        let objects: [TLV]
        do { objects = try TLV.parseAll(c.data) } catch { throw SecureMessagingError.malformed("command objects") }
        var macInput = pad([c.cla, c.ins, c.p1, c.p2])
        var cryptogram: TLV?
        var le: [UInt8]?
        var mac: [UInt8]?
        for o in objects {
            switch o.tag {
            case 0x87, 0x85:
                guard cryptogram == nil, le == nil, mac == nil else { throw SecureMessagingError.malformed("order") }
                cryptogram = o
                macInput += o.encoded
            case 0x97:
                guard le == nil, mac == nil, (1...2).contains(o.value.count) else { throw SecureMessagingError.malformed("DO97") }
                le = o.value
                macInput += o.encoded
            case 0x8E:
                guard mac == nil, o.value.count == 8 else { throw SecureMessagingError.malformed("DO8E") }
                mac = o.value
            default:
                throw SecureMessagingError.malformed("unexpected data object \(o.tag)")
            }
        }
        guard let mac else { throw SecureMessagingError.missingMAC(.success) }
        guard constantTimeEqual(try self.mac(macInput), mac) else { throw SecureMessagingError.macMismatch }
        let data = try cryptogram.map(decryptCryptogram) ?? []
        var ne: Int?
        if let le {
            if le.count == 1 { ne = le[0] == 0 ? 256 : Int(le[0]) } else {
                let v = Int(le[0]) << 8 | Int(le[1])
                ne = v == 0 ? 65536 : v
            }
        }
        return CommandAPDU(cla: c.cla & ~0x0C, ins: c.ins, p1: c.p1, p2: c.p2, data: data, ne: ne)
    }

    /// Wraps a response on the card side: DO87/85 (if data), DO99, DO8E.
    public mutating func protectResponse(_ r: ResponseAPDU, oddINS: Bool = false) throws -> ResponseAPDU {
        try incrementSSC()
        var body: [UInt8] = try r.data.isEmpty ? [] : cryptogramObject(r.data, oddINS: oddINS)
        body += [0x99, 0x02, r.status.sw1, r.status.sw2]
        let m = try mac(body)
        body += [0x8E, 0x08] + m
        return ResponseAPDU(data: body, status: .success)
    }

    // MARK: - Sizes

    /// The largest plaintext response that fits in `maxResponseData` bytes of protected response data.
    public func maxPlainResponse(fitting maxResponseData: Int) -> Int {
        let block = keys.cipher.blockSize
        var plain = maxResponseData
        while plain > 0 {
            let enc = (plain / block + 1) * block
            let do87 = 1 + TLV.encodeLength(enc + 1).count + 1 + enc
            if do87 + 4 + 10 <= maxResponseData { return plain }
            plain -= 1
        }
        return 0
    }
}

/// Compares MACs without an early exit.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var d: UInt8 = 0
    for i in a.indices { d |= a[i] ^ b[i] }
    return d == 0
}
