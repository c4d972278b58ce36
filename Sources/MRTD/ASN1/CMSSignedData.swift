import Foundation
import MRTDCrypto
import SwiftASN1

/// CMS SignedData (RFC 5652), as used by EF.SOD, EF.CardSecurity and CSCA master lists.
///
/// Everything a verifier needs is kept as the exact bytes the card sent: the encapsulated content,
/// the signed attributes (re-tagged as SET, which is what the signature covers), the certificates.
public struct CMSSignedData: Hashable, Sendable {
    public struct SignerInfo: Hashable, Sendable {
        public enum Identifier: Hashable, Sendable {
            /// Issuer Name (DER) and serial number (unsigned bytes).
            case issuerAndSerialNumber(issuer: [UInt8], serial: [UInt8])
            case subjectKeyIdentifier([UInt8])
        }
        public let version: Int
        public let signerIdentifier: Identifier
        public let digestAlgorithm: String
        /// The DER of the signed attributes with the SET OF tag (0x31): the bytes the signature covers.
        public let signedAttributesDER: [UInt8]?
        /// Attribute OID → the DER of each value in its SET (values of a repeated attribute are
        /// collected under one key, so a repeated content type or message digest is multi-valued).
        public let signedAttributes: [String: [[UInt8]]]
        /// Attribute types that occur more than once (RFC 5652 §5.3 forbids it).
        public let repeatedSignedAttributes: [String]
        public let signatureAlgorithm: String
        /// The DER of the signature AlgorithmIdentifier's parameters (RSASSA-PSS parameters), if any.
        public let signatureAlgorithmParameters: [UInt8]?
        public let signature: [UInt8]

        /// The messageDigest attribute value, when the attribute has exactly one value, an OCTET STRING.
        public var messageDigest: [UInt8]? {
            guard let values = signedAttributes[OID.messageDigest], values.count == 1, let n = try? BER.parse(values[0]),
                  n.identifier == .octetString, case .primitive(let b) = n.content else { return nil }
            return Array(b)
        }

        /// The contentType attribute value (dotted OID), when the attribute has exactly one value.
        public var contentType: String? {
            guard let values = signedAttributes[OID.contentType], values.count == 1, let n = try? BER.parse(values[0]) else { return nil }
            return try? ASN1ObjectIdentifier(berEncoded: n).description
        }

        /// The signingTime attribute (RFC 5652 §11.3: UTCTime or GeneralizedTime), when present
        /// with exactly one readable value.
        public var signingTime: Date? {
            guard let values = signedAttributes[OID.signingTime], values.count == 1 else { return nil }
            let r = BERReader(file: "signingTime")
            guard let n = try? r.parse(values[0]) else { return nil }
            return try? Certificate.time(n, r)
        }

        /// Why the signed attributes are unusable, or nil when they are sound: they must be present,
        /// hold exactly one content type equal to `contentType` and exactly one message digest, no
        /// attribute type twice, and a signingTime (if any) with exactly one readable value.
        public func signedAttributesProblem(contentType expected: String) -> String? {
            guard signedAttributesDER != nil else { return "SignerInfo has no signed attributes" }
            if let repeated = repeatedSignedAttributes.first { return "signed attribute \(repeated) occurs more than once" }
            guard let ct = signedAttributes[OID.contentType] else { return "signed attributes lack contentType" }
            guard ct.count == 1 else { return "signed contentType attribute has \(ct.count) values" }
            guard let md = signedAttributes[OID.messageDigest] else { return "signed attributes lack messageDigest" }
            guard md.count == 1 else { return "signed messageDigest attribute has \(md.count) values" }
            guard let type = contentType else { return "signed contentType attribute is not an object identifier" }
            guard type == expected else { return "signed contentType attribute \(type) does not match the content \(expected)" }
            guard messageDigest != nil else { return "signed messageDigest attribute is not an OCTET STRING" }
            if let st = signedAttributes[OID.signingTime], st.count != 1 || signingTime == nil {
                return "signed signingTime attribute must hold exactly one time"
            }
            return nil
        }
    }

    public let der: [UInt8]
    public let version: Int
    public let digestAlgorithms: [String]
    public let contentType: String
    /// The exact octets of eContent.
    public let content: [UInt8]
    /// Certificates (DER) carried in the SignedData.
    public let certificates: [[UInt8]]
    /// CRLs (DER) carried in the SignedData.
    public let crls: [[UInt8]]
    public let signerInfos: [SignerInfo]

    /// Parses a ContentInfo wrapping SignedData.
    public init(contentInfo der: [UInt8], file: String) throws {
        let r = BERReader(file: file)
        let ci = try r.children(try r.parse(der), .sequence, "ContentInfo")
        guard ci.count == 2, try r.oid(ci[0]) == OID.signedData else { throw LDSError(file, "not a CMS SignedData") }
        let explicit = try r.children(ci[1], ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific), "[0] content")
        guard explicit.count == 1 else { throw LDSError(file, "[0] content must hold one SignedData") }
        let sd = try r.children(explicit[0], .sequence, "SignedData")
        guard sd.count >= 4 else { throw LDSError(file, "SignedData has \(sd.count) elements") }
        self.der = der
        version = try r.int(sd[0])
        digestAlgorithms = try r.children(sd[1], .set, "digestAlgorithms").map { try r.oid(try r.children($0, .sequence, "AlgorithmIdentifier").first ?? $0) }
        let eci = try r.children(sd[2], .sequence, "EncapsulatedContentInfo")
        guard let ct = eci.first else { throw LDSError(file, "empty EncapsulatedContentInfo") }
        contentType = try r.oid(ct)
        if eci.count > 1 {
            let wrapped = try r.children(eci[1], ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific), "[0] eContent")
            guard wrapped.count == 1 else { throw LDSError(file, "eContent missing") }
            content = try r.octets(wrapped[0])
        } else {
            content = []
        }
        var i = 3
        var certs = [[UInt8]](), crlList = [[UInt8]]()
        if i < sd.count, sd[i].identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            certs = try r.children(sd[i], nil).map { Array($0.encodedBytes) }
            i += 1
        }
        if i < sd.count, sd[i].identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific) {
            crlList = try r.children(sd[i], nil).map { Array($0.encodedBytes) }
            i += 1
        }
        certificates = certs
        crls = crlList
        guard i < sd.count else { throw LDSError(file, "signerInfos missing") }
        signerInfos = try r.children(sd[i], .set, "signerInfos").map { try CMSSignedData.signerInfo($0, r) }
        guard !signerInfos.isEmpty else { throw LDSError(file, "no SignerInfo") }
    }

    static func signerInfo(_ n: ASN1Node, _ r: BERReader) throws -> SignerInfo {
        let f = try r.children(n, .sequence, "SignerInfo")
        guard f.count >= 5 else { throw LDSError(r.file, "SignerInfo has \(f.count) elements") }
        let version = try r.int(f[0])
        let sid: SignerInfo.Identifier
        if f[1].identifier == .sequence {
            let ias = try r.children(f[1])
            guard ias.count == 2 else { throw LDSError(r.file, "IssuerAndSerialNumber malformed") }
            sid = .issuerAndSerialNumber(issuer: Array(ias[0].encodedBytes), serial: try r.unsigned(ias[1]))
        } else if f[1].identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific), case .primitive(let v) = f[1].content {
            sid = .subjectKeyIdentifier(Array(v))
        } else {
            throw LDSError(r.file, "unknown signer identifier")
        }
        let digest = try r.oid(try r.children(f[2], .sequence, "digestAlgorithm").first ?? f[2])
        var i = 3
        var attrsDER: [UInt8]? = nil
        var attrs = [String: [[UInt8]]]()
        var repeated = [String]()
        if f[i].identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            var bytes = Array(f[i].encodedBytes)
            bytes[0] = 0x31  // the signature covers the SET OF encoding (RFC 5652 §5.4)
            attrsDER = bytes
            for a in try r.children(f[i], nil) {
                let parts = try r.children(a, .sequence, "Attribute")
                guard parts.count == 2 else { throw LDSError(r.file, "Attribute malformed") }
                let oid = try r.oid(parts[0])
                let values = try r.children(parts[1], .set, "AttributeValues").map { Array($0.encodedBytes) }
                if attrs[oid] != nil, !repeated.contains(oid) { repeated.append(oid) }
                attrs[oid, default: []] += values
            }
            i += 1
        }
        guard i + 1 < f.count else { throw LDSError(r.file, "SignerInfo lacks signature") }
        let sigAlg = try r.children(f[i], .sequence, "signatureAlgorithm")
        guard let sigOID = sigAlg.first else { throw LDSError(r.file, "empty signatureAlgorithm") }
        let params: [UInt8]? = sigAlg.count > 1 && sigAlg[1].identifier != .null ? Array(sigAlg[1].encodedBytes) : nil
        let signature = try r.octets(f[i + 1])
        return SignerInfo(version: version, signerIdentifier: sid, digestAlgorithm: digest, signedAttributesDER: attrsDER,
                          signedAttributes: attrs, repeatedSignedAttributes: repeated, signatureAlgorithm: try r.oid(sigOID), signatureAlgorithmParameters: params,
                          signature: signature)
    }
}
