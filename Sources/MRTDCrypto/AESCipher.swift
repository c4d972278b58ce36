import Crypto
import _CryptoExtras
import Foundation

/// AES for PACE and AES secure messaging: CBC without padding, single-block encryption (the SM IV
/// and the PACE nonce), and CMAC. Keys are 16, 24 or 32 bytes.
public enum AESCipher {
    public static let blockSize = 16

    public static func encryptCBC(key: [UInt8], iv: [UInt8] = [UInt8](repeating: 0, count: 16), _ data: [UInt8]) throws -> [UInt8] {
        try check(key, data)
        if data.isEmpty { return [] }
        return try wrap { Array(try AES._CBC.encrypt(data, using: SymmetricKey(data: key), iv: try AES._CBC.IV(ivBytes: iv), noPadding: true)) }
    }

    public static func decryptCBC(key: [UInt8], iv: [UInt8] = [UInt8](repeating: 0, count: 16), _ data: [UInt8]) throws -> [UInt8] {
        try check(key, data)
        if data.isEmpty { return [] }
        return try wrap { Array(try AES._CBC.decrypt(data, using: SymmetricKey(data: key), iv: try AES._CBC.IV(ivBytes: iv), noPadding: true)) }
    }

    /// One block through the AES permutation (ECB of a single block).
    public static func encryptBlock(key: [UInt8], _ block: [UInt8]) throws -> [UInt8] {
        guard block.count == 16 else { throw CryptoError(.invalidInput, "AES block must be 16 bytes") }
        try check(key, block)
        var b = block
        try wrap { try AES.permute(&b, key: SymmetricKey(data: key)) }
        return b
    }

    /// AES-CMAC truncated to `length` bytes (eMRTDs use 8).
    public static func cmac(key: [UInt8], _ data: [UInt8], length: Int = 16) throws -> [UInt8] {
        try check(key, [])
        return try wrap {
            var mac = try AES.CMAC(key: SymmetricKey(data: key), outputSize: 16)
            mac.update(data: data)
            return Array(Array(mac.finalize()).prefix(length))
        }
    }

    private static func check(_ key: [UInt8], _ data: [UInt8]) throws {
        guard [16, 24, 32].contains(key.count) else { throw CryptoError(.invalidKey, "AES key of \(key.count) bytes") }
        guard data.count % 16 == 0 else { throw CryptoError(.invalidInput, "AES input is not whole blocks") }
    }

    private static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as CryptoError { throw e } catch {
            throw CryptoError(.operationFailed, "AES: \(error)")
        }
    }
}
