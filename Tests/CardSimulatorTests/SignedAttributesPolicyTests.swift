import CardSimulator
import Foundation
import MRTD
import MRTDCrypto
import Testing

/// Issue 9 §8: EF.SOD's SignerInfo must carry signed attributes (one content type, one message
/// digest), and its digest, signature and LDS hash algorithms must be ones the policy allows.
struct SignedAttributesPolicyTests {
    static let now = VerificationTests.now
    static let dg1: [UInt8] = DG1.encode(mrz: ["IDVNM0990123458001099012345<<2", "9902013M3902013VNM<<<<<<<<<<<4", "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"])

    enum Variant: String, CaseIterable, Sendable {
        case wellFormed, noSignedAttributes, twoMessageDigestValues, contentTypeTwice, noContentType
        case sha1Digest, sha1Signature, sha1LDSHashes
    }

    static func sod(_ v: Variant, pki: TestPKI) throws -> SOD {
        let ldsHash: HashAlgorithm = v == .sha1LDSHashes ? .sha1 : .sha256
        let so = LDSSecurityObject.encode(hash: ldsHash, hashes: [1: ldsHash.hash(dg1)])
        var o = CertificateBuilder.SignerInfoOptions(signingTime: "20240601")
        var signer: SigningKey?
        switch v {
        case .wellFormed, .sha1LDSHashes: break
        case .noSignedAttributes: o.omitSignedAttributes = true
        case .twoMessageDigestValues: o.secondMessageDigestValue = true
        case .contentTypeTwice: o.repeatContentType = true
        case .noContentType: o.omitContentType = true
        case .sha1Digest: o.digestAlgorithm = .sha1
        case .sha1Signature:
            guard case .ec(let k, _) = pki.documentSignerKey else { throw CryptoError(.unsupportedAlgorithm, "EC key expected") }
            signer = .ec(k, hash: .sha1)
            o.digestAlgorithm = .sha256
        }
        return try SOD(try pki.signSOD(so, options: o, signer: signer))
    }

    static let expected: [Variant: CheckCode] = [
        .wellFormed: .sodVerified, .noSignedAttributes: .sodSignedAttributesInvalid, .twoMessageDigestValues: .sodSignedAttributesInvalid,
        .contentTypeTwice: .sodSignedAttributesInvalid, .noContentType: .sodSignedAttributesInvalid,
        .sha1Digest: .algorithmNotAllowed, .sha1Signature: .algorithmNotAllowed, .sha1LDSHashes: .algorithmNotAllowed,
    ]

    @Test(arguments: Variant.allCases)
    func passiveAuthenticationCode(variant: Variant) throws {
        let pki = try TestPKI()
        let sod = try Self.sod(variant, pki: pki)
        let (pa, signer, _) = PassiveAuthentication.verify(sod: sod, files: [.dataGroup(1): Self.dg1], trust: try VerificationTests.trust(pki), at: Self.now)
        #expect(pa.code == Self.expected[variant], "\(variant): \(pa.detail)")
        #expect(pa.status == (variant == .wellFormed ? .passed : .failed))
        #expect(pa.verifiedDataGroups == (variant == .wellFormed ? [1] : []))
        #expect(signer.code == .signerTrusted)
    }

    @Test func legacyPolicyAdmitsSHA1() throws {
        let pki = try TestPKI()
        for v in [Variant.sha1Digest, .sha1Signature, .sha1LDSHashes] {
            let (pa, _, _) = PassiveAuthentication.verify(sod: try Self.sod(v, pki: pki), files: [.dataGroup(1): Self.dg1],
                                                          trust: try VerificationTests.trust(pki), at: Self.now, policy: .legacy)
            #expect(pa.code == .sodVerified, "\(v): \(pa.detail)")
        }
    }

    @Test func signedAttributesProblemNamesEachDefect() throws {
        let pki = try TestPKI()
        for v in Variant.allCases {
            let si = try #require(try Self.sod(v, pki: pki).signedData.signerInfos.first)
            let problem = si.signedAttributesProblem(contentType: OID.ldsSecurityObject)
            switch Self.expected[v] {
            case .sodSignedAttributesInvalid?: #expect(problem != nil, "\(v)")
            default: #expect(problem == nil, "\(v): \(problem ?? "")")
            }
        }
        let good = try #require(try Self.sod(.wellFormed, pki: pki).signedData.signerInfos.first)
        #expect(good.signedAttributesProblem(contentType: OID.cscaMasterList) != nil)
    }

    @Test func defaultPolicyIsSHA2Only() {
        #expect(AlgorithmPolicy.default.hashes == [.sha224, .sha256, .sha384, .sha512])
        #expect(AlgorithmPolicy.legacy.allows(.sha1))
        #expect(AlgorithmPolicy.default.refusedHash(in: .rsaPSS(.sha256, mgf: .sha1, salt: 32)) == .sha1)
        #expect(AlgorithmPolicy.default.refusedHash(in: .ecdsa(.sha224)) == nil)
    }
}
