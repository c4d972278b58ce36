import Foundation
import SwiftASN1

/// A certificate revocation list (RFC 5280 §5), as CSCAs publish them.
public struct CRL: Hashable, Sendable {
    public let der: [UInt8]
    public let tbsDER: [UInt8]
    public let issuerDER: [UInt8]
    public let issuer: String
    public let thisUpdate: Date
    public let nextUpdate: Date?
    public let revokedSerials: Set<[UInt8]>
    public let signatureAlgorithm: String
    public let signatureAlgorithmParameters: [UInt8]?
    public let signature: [UInt8]

    public init(der: [UInt8]) throws {
        let r = BERReader(file: "CRL")
        let top = try r.children(try r.parse(der))
        guard top.count == 3 else { throw LDSError(r.file, "CertificateList has \(top.count) elements") }
        self.der = der
        tbsDER = Array(top[0].encodedBytes)
        let alg = try r.children(top[1])
        guard let o = alg.first else { throw LDSError(r.file, "empty signature algorithm") }
        signatureAlgorithm = try r.oid(o)
        signatureAlgorithmParameters = alg.count > 1 && alg[1].identifier != .null ? Array(alg[1].encodedBytes) : nil
        signature = try r.bits(top[2])
        var tbs = try r.children(top[0])
        if tbs.first?.identifier == .integer { tbs.removeFirst() }
        guard tbs.count >= 3 else { throw LDSError(r.file, "TBSCertList too short") }
        issuerDER = Array(tbs[1].encodedBytes)
        issuer = try DistinguishedNameText.render(tbs[1], r)
        thisUpdate = try Certificate.time(tbs[2], r)
        var i = 3
        if i < tbs.count, tbs[i].identifier == .utcTime || tbs[i].identifier == .generalizedTime {
            nextUpdate = try Certificate.time(tbs[i], r)
            i += 1
        } else {
            nextUpdate = nil
        }
        var revoked = Set<[UInt8]>()
        if i < tbs.count, tbs[i].identifier == .sequence {
            for entry in try r.children(tbs[i]) {
                let e = try r.children(entry)
                guard let s = e.first else { continue }
                revoked.insert(try Certificate.serial(s, r))
            }
        }
        revokedSerials = revoked
    }

    /// Whether `issuerKey` signed this CRL.
    public func isSigned(by issuer: Certificate) -> Bool {
        SignatureCheckCache.shared.verifies(message: tbsDER, signature: signature, algorithm: signatureAlgorithm,
                                            parameters: signatureAlgorithmParameters, signer: issuer.publicKeyInfo)
    }
}
