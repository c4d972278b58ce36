import CCCD
import MRTD
import MRTDCrypto

/// What identifies one personalised chip once it has been read: SHA-256 of EF.SOD, the document
/// signer (issuer and serial), and SHA-256 of the Chip and Active Authentication public keys
/// (the DER SubjectPublicKeyInfo from DG14 / DG15). A clone of the data on another chip keeps the
/// SOD but cannot keep the keys it cannot prove; a re-personalised card changes the SOD.
public struct ChipEvidence: Codable, Sendable, Hashable {
    public var sodSHA256: String
    public var signerIssuer: String?
    public var signerSerial: String?
    public var caKeySHA256: String?
    public var aaKeySHA256: String?

    public init(sodSHA256: String, signerIssuer: String? = nil, signerSerial: String? = nil, caKeySHA256: String? = nil, aaKeySHA256: String? = nil) {
        self.sodSHA256 = sodSHA256
        self.signerIssuer = signerIssuer
        self.signerSerial = signerSerial
        self.caKeySHA256 = caKeySHA256
        self.aaKeySHA256 = aaKeySHA256
    }

    /// The evidence of a read, or nil when EF.SOD was not read. Keys count only when Passive
    /// Authentication verified the data group holding them.
    public init?(readout r: CardReadout) {
        guard let sod = r.identity.sodSHA256 ?? r.files[.sod].map({ Hex.string(HashAlgorithm.sha256.hash($0)) }) else { return nil }
        sodSHA256 = sod.lowercased()
        signerIssuer = r.verification.signer.issuer
        signerSerial = r.verification.signer.serialNumber ?? r.identity.documentSignerSerialNumber
        let verified = Set(r.verification.passive.verifiedDataGroups)
        if verified.contains(14), let raw = r.files[.dataGroup(14)], let dg = try? DG14(raw),
           let key = dg.securityInfos.chipAuthenticationPublicKeys.first {
            caKeySHA256 = Hex.string(HashAlgorithm.sha256.hash(key.publicKey.der))
        }
        if verified.contains(15), let raw = r.files[.dataGroup(15)], let dg = try? DG15(raw) {
            aaKeySHA256 = Hex.string(HashAlgorithm.sha256.hash(dg.publicKey.der))
        }
    }

    /// Same chip: every element present on both sides agrees (the SOD hash always is).
    public func matches(_ o: ChipEvidence) -> Bool {
        func agree(_ a: String?, _ b: String?) -> Bool { a == nil || b == nil || a == b }
        return sodSHA256 == o.sodSHA256 && agree(signerIssuer, o.signerIssuer) && agree(signerSerial, o.signerSerial)
            && agree(caKeySHA256, o.caKeySHA256) && agree(aaKeySHA256, o.aaKeySHA256)
    }
}

/// Lower-case hex without separators.
enum Hex {
    static func string(_ b: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(b.count * 2)
        for x in b { out.append(digits[Int(x >> 4)]); out.append(digits[Int(x & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
