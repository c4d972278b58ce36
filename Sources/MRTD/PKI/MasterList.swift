import Foundation
import SwiftASN1

/// An ICAO CSCA master list: CMS SignedData (content type 2.23.136.1.1.2) over
/// `CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }`.
public struct MasterList: Sendable {
    public let signedData: CMSSignedData
    public let certificates: [Certificate]
    /// The certificate that signed the list (from the SignedData).
    public let signer: Certificate

    public init(der: [UInt8]) throws {
        signedData = try CMSSignedData(contentInfo: der, file: "master list")
        guard signedData.contentType == OID.cscaMasterList else {
            throw LDSError("master list", "content type \(signedData.contentType) is not id-icao-cscaMasterList")
        }
        let r = BERReader(file: "master list")
        let list = try r.children(try r.parse(signedData.content))
        guard list.count == 2 else { throw LDSError(r.file, "CscaMasterList has \(list.count) elements") }
        certificates = try r.children(list[1], .set, "certList").map { try Certificate(der: Array($0.encodedBytes)) }
        let signerInfo = signedData.signerInfos[0]
        let embedded = try signedData.certificates.map { try Certificate(der: $0) }
        guard let s = embedded.first(where: { PassiveAuthentication.matches($0, signerInfo.signerIdentifier) }) else {
            throw LDSError(r.file, "the signer certificate is not in the SignedData")
        }
        signer = s
    }

    /// How the list was found trustworthy, with the CSCA that issued the list's signer.
    public enum Trust: Sendable, Hashable {
        /// The signer was issued by a CSCA already trusted.
        case signerChainsToTrustedAnchor(Certificate)
        /// The signer was issued by a self-signed CSCA inside the list: the list vouches for
        /// itself, and is exactly as trustworthy as where it came from.
        case selfCertified(Certificate)

        public var csca: Certificate {
            switch self {
            case .signerChainsToTrustedAnchor(let c), .selfCertified(let c): return c
            }
        }
    }

    /// Verifies the list's own CMS signature and that its signer was issued by a CSCA — either one
    /// already trusted, or a self-signed CSCA contained in the list. Throws a one-line reason when
    /// the list must not be trusted.
    public func verify(anchors: [Certificate], at date: Date, policy: AlgorithmPolicy = .default) throws -> Trust {
        let signerInfo = signedData.signerInfos[0]
        let result = PassiveAuthentication.verifySignedData(signedData, signerInfo: signerInfo, certificate: signer, policy: policy)
        guard result.ok else { throw LDSError("master list", "signature does not verify: \(result.detail)") }
        func issued(by ca: Certificate) -> Bool {
            ca.subjectDER == signer.issuerDER
                && (signer.authorityKeyIdentifier == nil || ca.subjectKeyIdentifier == nil || signer.authorityKeyIdentifier == ca.subjectKeyIdentifier)
                && ((try? SignatureVerifier.verify(message: signer.tbsDER, signature: signer.signature, algorithm: signer.signatureAlgorithm,
                                                   parameters: signer.signatureAlgorithmParameters, key: ca.publicKeyInfo.key)) ?? false)
        }
        guard signer.isValid(at: date) else { throw LDSError("master list", "signer certificate is not valid now") }
        if let ca = anchors.first(where: issued) { return .signerChainsToTrustedAnchor(ca) }
        if let ca = certificates.first(where: { $0.isSelfSigned && issued(by: $0) }) { return .selfCertified(ca) }
        throw LDSError("master list", "signer \(signer.subject) is not issued by any known CSCA")
    }
}
