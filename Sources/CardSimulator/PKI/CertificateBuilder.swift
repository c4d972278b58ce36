import MRTD
import MRTDCrypto

/// An X.509 distinguished name as a list of (attribute, value) pairs, e.g. C, O, CN.
public struct DistinguishedName: Hashable, Sendable {
    public var attributes: [(oid: String, value: String)]

    public init(country: String, organization: String? = nil, organizationalUnit: String? = nil, commonName: String) {
        var a: [(String, String)] = [("2.5.4.6", country)]
        if let organization { a.append(("2.5.4.10", organization)) }
        if let organizationalUnit { a.append(("2.5.4.11", organizationalUnit)) }
        a.append(("2.5.4.3", commonName))
        attributes = a
    }

    public static func == (a: DistinguishedName, b: DistinguishedName) -> Bool { a.der == b.der }
    public func hash(into h: inout Hasher) { h.combine(der) }

    public var der: [UInt8] {
        DERBuilder.sequence(attributes.map { oid, value in
            let v = oid == "2.5.4.6" ? DERBuilder.printableString(value) : DERBuilder.utf8String(value)
            return DERBuilder.set([DERBuilder.sequence([DERBuilder.oid(oid), v])])
        })
    }
}

/// Builds and signs X.509 v3 certificates and CRLs for the test PKI (ICAO 9303-12 profile:
/// CSCA with keyCertSign/cRLSign, document signers with digitalSignature).
public enum CertificateBuilder {
    public enum Role: Sendable { case csca, documentSigner, masterListSigner }

    /// UTCTime for years before 2050, GeneralizedTime after (RFC 5280 §4.1.2.5).
    public static func time(_ yyyymmdd: String) -> [UInt8] {
        let year = Int(yyyymmdd.prefix(4))!
        if year < 2050 {
            return DERBuilder.tlv(0x17, Array((String(yyyymmdd.dropFirst(2)) + "000000Z").utf8))
        }
        return DERBuilder.tlv(0x18, Array((yyyymmdd + "000000Z").utf8))
    }

    public static func keyIdentifier(_ spki: [UInt8]) -> [UInt8] {
        Array(HashAlgorithm.sha1.hash(spki).prefix(20))
    }

    public static func certificate(
        serial: [UInt8], issuer: DistinguishedName, subject: DistinguishedName,
        notBefore: String, notAfter: String, subjectKey: SigningKey, issuerKey: SigningKey,
        issuerKeyIdentifier: [UInt8], role: Role, explicitParameters: Bool = false
    ) throws -> [UInt8] {
        let spki = subjectKey.subjectPublicKeyInfo(explicitParameters: explicitParameters)
        let ski = keyIdentifier(spki)
        var extensions: [[UInt8]] = []
        func ext(_ oid: String, critical: Bool, _ value: [UInt8]) -> [UInt8] {
            var items = [DERBuilder.oid(oid)]
            if critical { items.append([0x01, 0x01, 0xFF]) }
            items.append(DERBuilder.octetString(value))
            return DERBuilder.sequence(items)
        }
        switch role {
        case .csca:
            extensions.append(ext("2.5.29.19", critical: true, DERBuilder.sequence([[0x01, 0x01, 0xFF], DERBuilder.integer(0)])))
            extensions.append(ext("2.5.29.15", critical: true, [0x03, 0x02, 0x01, 0x06]))  // keyCertSign, cRLSign
        case .documentSigner:
            extensions.append(ext("2.5.29.15", critical: true, [0x03, 0x02, 0x07, 0x80]))  // digitalSignature
        case .masterListSigner:
            extensions.append(ext("2.5.29.15", critical: true, [0x03, 0x02, 0x07, 0x80]))
            extensions.append(ext("2.5.29.37", critical: false, DERBuilder.sequence([DERBuilder.oid("2.23.136.1.1.3")])))
        }
        extensions.append(ext("2.5.29.14", critical: false, DERBuilder.octetString(ski)))
        extensions.append(ext("2.5.29.35", critical: false, DERBuilder.sequence([DERBuilder.contextPrimitive(0, issuerKeyIdentifier)])))
        let tbs = DERBuilder.sequence([
            DERBuilder.contextConstructed(0, DERBuilder.integer(2)),
            DERBuilder.unsignedInteger(serial),
            issuerKey.algorithmIdentifier,
            issuer.der,
            DERBuilder.sequence([time(notBefore), time(notAfter)]),
            subject.der,
            spki,
            DERBuilder.contextConstructed(3, DERBuilder.sequence(extensions)),
        ])
        let signature = try issuerKey.sign(tbs)
        return DERBuilder.sequence([tbs, issuerKey.algorithmIdentifier, DERBuilder.bitString(signature)])
    }

    /// A v2 CRL listing `revoked` serial numbers.
    public static func crl(issuer: DistinguishedName, issuerKey: SigningKey, issuerKeyIdentifier: [UInt8],
                           thisUpdate: String, nextUpdate: String, revoked: [[UInt8]], revocationDate: String) throws -> [UInt8] {
        var items: [[UInt8]] = [DERBuilder.integer(1), issuerKey.algorithmIdentifier, issuer.der, time(thisUpdate), time(nextUpdate)]
        if !revoked.isEmpty {
            items.append(DERBuilder.sequence(revoked.map { DERBuilder.sequence([DERBuilder.unsignedInteger($0), time(revocationDate)]) }))
        }
        let aki = DERBuilder.sequence([DERBuilder.oid("2.5.29.35"), DERBuilder.octetString(DERBuilder.sequence([DERBuilder.contextPrimitive(0, issuerKeyIdentifier)]))])
        let number = DERBuilder.sequence([DERBuilder.oid("2.5.29.20"), DERBuilder.octetString(DERBuilder.integer(1))])
        items.append(DERBuilder.contextConstructed(0, DERBuilder.sequence([aki, number])))
        let tbs = DERBuilder.sequence(items)
        return DERBuilder.sequence([tbs, issuerKey.algorithmIdentifier, DERBuilder.bitString(try issuerKey.sign(tbs))])
    }

    /// How a SignerInfo is written: the normal form, or one of the malformed ones a verifier must
    /// refuse.
    public struct SignerInfoOptions: Sendable, Hashable {
        /// A signingTime signed attribute (YYYYMMDD, midnight UTC).
        public var signingTime: String?
        /// Sign the content directly, without signed attributes.
        public var omitSignedAttributes = false
        /// Put a second value (a digest of other bytes) into the messageDigest attribute.
        public var secondMessageDigestValue = false
        /// Write the contentType attribute twice.
        public var repeatContentType = false
        /// Leave the contentType attribute out.
        public var omitContentType = false
        /// The SignerInfo's digest algorithm, if not the signer key's hash.
        public var digestAlgorithm: HashAlgorithm?

        public init(signingTime: String? = nil) { self.signingTime = signingTime }
    }

    /// CMS SignedData (ContentInfo) with signed attributes contentType and messageDigest (and
    /// signingTime when asked), signed by `signer` whose certificate is embedded.
    public static func signedData(contentType: String, content: [UInt8], signer: SigningKey, signerCertificate: [UInt8],
                                  issuer: DistinguishedName, serial: [UInt8], options: SignerInfoOptions = SignerInfoOptions()) throws -> [UInt8] {
        let digestHash = options.digestAlgorithm ?? signer.hash
        let digest = digestHash.hash(content)
        var attributes = [[UInt8]]()
        if !options.omitContentType {
            attributes.append(DERBuilder.sequence([DERBuilder.oid(OID.contentType), DERBuilder.set([DERBuilder.oid(contentType)])]))
        }
        if options.repeatContentType {
            attributes.append(DERBuilder.sequence([DERBuilder.oid(OID.contentType), DERBuilder.set([DERBuilder.oid(contentType)])]))
        }
        var digests = [DERBuilder.octetString(digest)]
        if options.secondMessageDigestValue { digests.append(DERBuilder.octetString(digestHash.hash(content + [0]))) }
        attributes.append(DERBuilder.sequence([DERBuilder.oid(OID.messageDigest), DERBuilder.set(digests)]))
        if let t = options.signingTime {
            attributes.append(DERBuilder.sequence([DERBuilder.oid(OID.signingTime), DERBuilder.set([time(t)])]))
        }
        let signedAttrsSET = DERBuilder.set(attributes)
        let signature = try signer.sign(options.omitSignedAttributes ? content : signedAttrsSET)
        var implicitAttrs = signedAttrsSET
        implicitAttrs[0] = 0xA0
        let digestAlg = DERBuilder.sequence([DERBuilder.oid(digestHash.oid)])
        var signerInfoItems = [
            DERBuilder.integer(1),
            DERBuilder.sequence([issuer.der, DERBuilder.unsignedInteger(serial)]),
            digestAlg,
        ]
        if !options.omitSignedAttributes { signerInfoItems.append(implicitAttrs) }
        signerInfoItems += [signer.algorithmIdentifier, DERBuilder.octetString(signature)]
        let signerInfo = DERBuilder.sequence(signerInfoItems)
        let sd = DERBuilder.sequence([
            DERBuilder.integer(3),
            DERBuilder.set([digestAlg]),
            DERBuilder.sequence([DERBuilder.oid(contentType), DERBuilder.contextConstructed(0, DERBuilder.octetString(content))]),
            DERBuilder.contextConstructed(0, signerCertificate),
            DERBuilder.set([signerInfo]),
        ])
        return DERBuilder.sequence([DERBuilder.oid(OID.signedData), DERBuilder.contextConstructed(0, sd)])
    }
}
