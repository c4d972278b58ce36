internal import COpenSSL

/// Two-key 3DES (the eMRTD BAC and 3DES secure-messaging cipher) and the ISO/IEC 9797-1 MAC
/// algorithm 3 ("retail MAC") built on it. Keys are 16 bytes (K1 ‖ K2).
public enum TripleDES {
    public static let blockSize = 8

    public static func encryptCBC(key: [UInt8], iv: [UInt8] = [UInt8](repeating: 0, count: 8), _ data: [UInt8]) throws -> [UInt8] {
        try cipher(CCOSSL_des_ede_cbc(), key: key, iv: iv, data, encrypt: true)
    }

    public static func decryptCBC(key: [UInt8], iv: [UInt8] = [UInt8](repeating: 0, count: 8), _ data: [UInt8]) throws -> [UInt8] {
        try cipher(CCOSSL_des_ede_cbc(), key: key, iv: iv, data, encrypt: false)
    }

    /// ISO/IEC 9797-1 MAC algorithm 3 with DES, padding already applied by the caller
    /// (`data` must be a multiple of 8 bytes). Single-DES CBC with K1 over all blocks, then the
    /// last block through D(K2), E(K1) — which equals 2-key 3DES on the last chained block.
    public static func retailMAC(key: [UInt8], _ data: [UInt8]) throws -> [UInt8] {
        guard key.count == 16 else { throw CryptoError(.invalidKey, "retail MAC needs a 16-byte key") }
        guard !data.isEmpty, data.count % 8 == 0 else { throw CryptoError(.invalidInput, "MAC input is not whole blocks") }
        let k1 = Array(key[0..<8])
        var chain = [UInt8](repeating: 0, count: 8)
        if data.count > 8 {
            // Single DES = 3DES with K1 = K2 = K3.
            let head = try cipher(CCOSSL_des_ede3_cbc(), key: k1 + k1 + k1, iv: chain, Array(data[..<(data.count - 8)]), encrypt: true)
            chain = Array(head.suffix(8))
        }
        var last = Array(data.suffix(8))
        for i in 0..<8 { last[i] ^= chain[i] }
        return try cipher(CCOSSL_des_ede_ecb(), key: key, iv: nil, last, encrypt: true)
    }

    /// Sets the DES parity bits (odd parity in each byte), as ICAO key derivation requires.
    public static func adjustParity(_ key: [UInt8]) -> [UInt8] {
        key.map { b in
            let high = b & 0xFE
            return high.nonzeroBitCount % 2 == 0 ? high | 1 : high
        }
    }

    static func cipher(_ c: OpaquePointer?, key: [UInt8], iv: [UInt8]?, _ data: [UInt8], encrypt: Bool) throws -> [UInt8] {
        guard data.count % 8 == 0 else { throw CryptoError(.invalidInput, "3DES input is not whole blocks") }
        // OpenSSL reads a whole block of IV whatever its length: a short one must not get that far.
        guard iv.map({ $0.count == 8 }) ?? true else { throw CryptoError(.invalidInput, "3DES IV of \(iv?.count ?? 0) bytes") }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw OpenSSL.fail(.operationFailed, "EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        guard Int(EVP_CIPHER_get_key_length(c)) == key.count else {
            throw CryptoError(.invalidKey, "3DES key of \(key.count) bytes")
        }
        let ok = key.withUnsafeBufferPointer { k in
            (iv ?? []).withUnsafeBufferPointer { v in
                EVP_CipherInit_ex(ctx, c, nil, k.baseAddress, iv == nil ? nil : v.baseAddress, encrypt ? 1 : 0)
            }
        }
        guard ok == 1 else { throw OpenSSL.fail(.operationFailed, "3DES init") }
        EVP_CIPHER_CTX_set_padding(ctx, 0)
        if data.isEmpty { return [] }
        var out = [UInt8](repeating: 0, count: data.count + 8)
        var n: Int32 = 0
        guard data.withUnsafeBufferPointer({ EVP_CipherUpdate(ctx, &out, &n, $0.baseAddress, Int32(clamping: $0.count)) }) == 1 else {
            throw OpenSSL.fail(.operationFailed, "3DES update")
        }
        var m: Int32 = 0
        // `out` holds data.count + 8 > 0 bytes, so it has a base address, and n ≤ data.count.
        let finalOK = out.withUnsafeMutableBufferPointer { EVP_CipherFinal_ex(ctx, $0.baseAddress! + Int(n), &m) }
        guard finalOK == 1 else { throw OpenSSL.fail(.operationFailed, "3DES final") }
        return Array(out.prefix(Int(n + m)))
    }
}
