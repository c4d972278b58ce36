import Foundation
import MRTDCrypto

/// Remembers which certificate and CRL signatures verified, so a station reading card after card
/// does not re-check the same document signer, link certificate and CRL under a brainpoolP512r1
/// CSCA key for every card (each such check costs about half a millisecond; one document signer
/// signs many thousands of cards).
///
/// Only successes are kept, keyed by the SHA-256 of everything the verification depends on (the
/// signed bytes, the signature, its algorithm and parameters, and the signer's
/// SubjectPublicKeyInfo), so a hit is exactly a verification that passed before: changing any byte
/// misses and verifies afresh. A failure is never cached (a hostile card cannot make a later check
/// fail or pass). The cache is bounded and process-wide; when full it starts over.
public final class SignatureCheckCache: @unchecked Sendable {
    public static let shared = SignatureCheckCache(capacity: 1024)

    private let lock = NSLock()
    private var verified = Set<[UInt8]>()
    private let capacity: Int

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Whether `signature` over `message` verifies under `signer`; a remembered success or a fresh
    /// verification.
    public func verifies(message: [UInt8], signature: [UInt8], algorithm: String, parameters: [UInt8]?,
                         signer: SubjectPublicKeyInfo) -> Bool {
        let key = Self.key(message, signature, algorithm, parameters, signer.der)
        lock.lock()
        let hit = verified.contains(key)
        lock.unlock()
        if hit { return true }
        let ok = (try? SignatureVerifier.verify(message: message, signature: signature, algorithm: algorithm,
                                                parameters: parameters, key: signer.key)) ?? false
        guard ok else { return false }
        lock.lock()
        if verified.count >= capacity { verified.removeAll(keepingCapacity: true) }
        verified.insert(key)
        lock.unlock()
        return true
    }

    /// Forgets every remembered verification (tests and benchmarks that measure a cold check).
    public func removeAll() {
        lock.lock()
        verified.removeAll()
        lock.unlock()
    }

    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return verified.count
    }

    /// Length-prefixed fields, so no two different inputs share a digest input.
    static func key(_ message: [UInt8], _ signature: [UInt8], _ algorithm: String, _ parameters: [UInt8]?, _ spki: [UInt8]) -> [UInt8] {
        var input = [UInt8]()
        input.reserveCapacity(message.count + signature.count + spki.count + (parameters?.count ?? 0) + 64)
        func field(_ b: [UInt8]) {
            let n = UInt64(b.count)
            for i in 0..<8 { input.append(UInt8(truncatingIfNeeded: n >> (8 * i))) }
            input += b
        }
        field(message)
        field(signature)
        field(Array(algorithm.utf8))
        if let parameters { input.append(1); field(parameters) } else { input.append(0) }
        field(spki)
        return HashAlgorithm.sha256.hash(input)
    }
}
