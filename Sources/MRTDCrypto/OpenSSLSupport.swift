internal import COpenSSL

/// Small helpers shared by the OpenSSL-backed parts of the facade.
enum OpenSSL {
    /// Drains OpenSSL's thread-local error queue into one line.
    static func errors() -> String {
        var parts = [String]()
        while true {
            let e = ERR_get_error()
            if e == 0 { break }
            var buf = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(e, &buf, buf.count)
            parts.append(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return parts.isEmpty ? "no OpenSSL detail" : parts.joined(separator: "; ")
    }

    static func fail(_ kind: CryptoError.Kind, _ what: String) -> CryptoError {
        CryptoError(kind, "\(what): \(errors())")
    }
}

enum OpenSSLDigest {
    /// SHA-224 is not in swift-crypto; OpenSSL has it.
    static func sha224(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 28)
        var len: UInt32 = 0
        _ = data.withUnsafeBufferPointer { d in
            EVP_Digest(d.baseAddress, d.count, &out, &len, EVP_sha224(), nil)
        }
        return out
    }
}
