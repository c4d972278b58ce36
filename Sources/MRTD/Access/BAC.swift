import ISO7816
import MRTDCrypto

/// Basic Access Control (ICAO 9303-11 §4.3): 3DES challenge-response from the MRZ, then 3DES
/// secure messaging.
public enum BAC {
    /// (Kenc, Kmac) from the MRZ key seed.
    public static func keys(for key: AccessKey) throws -> (enc: [UInt8], mac: [UInt8]) {
        guard let seed = key.bacKeySeed else { throw MRTDError.noAccessProtocol("BAC needs MRZ data (document number, birth and expiry dates)") }
        return KeyDerivation.sessionKeys(seed, cipher: .tripleDES)
    }

    /// Runs BAC over `channel` and returns a secure channel. A wrong MRZ gives
    /// `MRTDError.accessDenied` after exactly one EXTERNAL AUTHENTICATE.
    public static func establish(over channel: any CardChannel, key: AccessKey,
                                 random: any RandomSource = SystemRandom()) async throws -> SecureChannel {
        let (kenc, kmac) = try keys(for: key)
        let challenge = try await channel.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8))
        guard challenge.status.isSuccess else { throw MRTDError.cardStatus(challenge.status, step: "BAC GET CHALLENGE") }
        guard challenge.data.count == 8 else { throw MRTDError.protocolViolation("GET CHALLENGE returned \(challenge.data.count) bytes") }
        let rndIC = challenge.data
        let rndIFD = random.bytes(8)
        let kIFD = random.bytes(16)
        let s = rndIFD + rndIC + kIFD
        let eIFD = try TripleDES.encryptCBC(key: kenc, s)
        let mIFD = try TripleDES.retailMAC(key: kmac, ISO9797Padding.pad(eIFD, blockSize: 8))
        let r = try await channel.transmit(CommandAPDU(ins: 0x82, p1: 0, p2: 0, data: eIFD + mIFD, ne: 40))
        switch r.status.meaning {
        case .success: break
        case .securityNotSatisfied, .verificationFailed, .conditionsNotSatisfied, .referencedDataNotFound, .authenticationMethodBlocked:
            throw MRTDError.accessDenied(method: "MRZ (BAC)", status: r.status)
        default:
            throw MRTDError.cardStatus(r.status, step: "BAC EXTERNAL AUTHENTICATE")
        }
        guard r.data.count == 40 else { throw MRTDError.protocolViolation("EXTERNAL AUTHENTICATE returned \(r.data.count) bytes") }
        let eIC = Array(r.data[0..<32]), mIC = Array(r.data[32..<40])
        guard constantTimeEqual(try TripleDES.retailMAC(key: kmac, ISO9797Padding.pad(eIC, blockSize: 8)), mIC) else {
            throw MRTDError.protocolViolation("chip cryptogram MAC does not verify")
        }
        let plain = try TripleDES.decryptCBC(key: kenc, eIC)
        guard Array(plain[0..<8]) == rndIC, Array(plain[8..<16]) == rndIFD else {
            throw MRTDError.protocolViolation("chip did not return our challenge")
        }
        let kIC = Array(plain[16..<32])
        let seed = zip(kIFD, kIC).map { $0 ^ $1 }
        let (ksenc, ksmac) = KeyDerivation.sessionKeys(seed, cipher: .tripleDES)
        let ssc = Array(rndIC[4..<8]) + Array(rndIFD[4..<8])
        return SecureChannel(base: channel, keys: SMKeys(cipher: .tripleDES, enc: ksenc, mac: ksmac, ssc: ssc))
    }
}
