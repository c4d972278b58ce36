import CardSimulator
import CCCD
import Foundation
import MRTD
import MRTDCrypto
import Testing

/// Issue 9 §4: the document signer is judged when the document was signed (EF.SOD's signingTime,
/// else DG13's date of issue), not on the day of the read.
struct SignerValidityTests {
    static let now = VerificationTests.now

    /// A citizen renewed at 60: the card never expires.
    static func overSixty(dateOfIssue: String = "2022-09-01") -> CardProfile {
        var p = CardProfile.sample
        p.citizen.idNumber = "001058012345"
        p.citizen.dateOfBirth = "1958-03-04"
        p.citizen.dateOfIssue = dateOfIssue
        p.citizen.dateOfExpiry = nil
        return p
    }

    static func date(_ iso: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: iso + "T00:00:00Z"))
    }

    @Test func cardWithoutExpiryOutlivesItsSignerBySigningTime() async throws {
        var f = CardFaults()
        f.expiredSigner = true  // DSC 2022-01-01 – 2023-07-01; EF.SOD signed 2023-01-15
        let r = try await VerificationTests.read(f, profile: Self.overSixty())
        let signer = r.verification.signer
        #expect(signer.status == .trusted, "\(signer.detail)")
        #expect(signer.code == .signerTrusted)
        #expect(signer.warnings.map(\.code) == [.signerExpired])
        #expect(r.verification.passive.code == .sodVerified)
        #expect(r.document?.dateOfExpiry == nil)
        #expect(r.verdict == .genuine)
    }

    @Test func cardWithoutExpiryOutlivesItsSignerByDateOfIssue() async throws {
        var f = CardFaults()
        f.expiredSigner = true
        f.noSigningTime = true  // judged at DG13's date of issue, 2022-09-01
        let r = try await VerificationTests.read(f, profile: Self.overSixty())
        #expect(r.verification.signer.status == .trusted, "\(r.verification.signer.detail)")
        #expect(r.verification.signer.warnings.map(\.code) == [.signerExpired])
        #expect(r.verdict == .genuine)
    }

    @Test func documentIssuedAfterTheSignerExpiredIsRejected() async throws {
        var f = CardFaults()
        f.expiredSigner = true
        f.noSigningTime = true
        let r = try await VerificationTests.read(f, profile: Self.overSixty(dateOfIssue: "2024-02-01"))
        #expect(r.verification.signer.status == .untrusted)
        #expect(r.verification.signer.code == .signerNotValidAtSigning)
        #expect(r.verdict == .rejected)
    }

    @Test func anUnverifiedSODSaysNothingAboutTime() async throws {
        var f = CardFaults()
        f.expiredSigner = true
        f.corruptSODSignature = true  // its signingTime (inside validity) cannot be believed
        let r = try await VerificationTests.read(f, profile: Self.overSixty())
        #expect(r.verification.passive.code == .sodSignatureInvalid)
        #expect(r.verification.signer.code == .signerNotValidAtSigning)
        #expect(r.verdict == .rejected)
    }

    @Test func keyUsedBeforeItWasCertifiedIsRejected() async throws {
        var f = CardFaults()
        f.signingTime = "20230601"  // the DSC's notBefore is 2024-01-01
        let r = try await VerificationTests.read(f)
        #expect(r.verification.passive.status == .passed)
        #expect(r.verification.signer.status == .untrusted)
        #expect(r.verification.signer.code == .signerNotValidAtSigning)
        #expect(r.verdict == .rejected)
    }

    @Test func withoutSigningTimeTheDateOfIssueDecides() async throws {
        var f = CardFaults()
        f.noSigningTime = true  // the sample card's date of issue 2021-05-10 precedes the DSC
        let r = try await VerificationTests.read(f)
        #expect(r.verification.signer.code == .signerNotValidAtSigning)
        #expect(r.verdict == .rejected)
    }

    @Test func genuineCardHasNoSignerWarningsButTheCRLState() async throws {
        let r = try await VerificationTests.read()
        #expect(r.verification.signer.code == .signerTrusted)
        #expect(r.verification.signer.warnings.isEmpty, "\(r.verification.signer.warnings)")
    }

    @Test func signingTimeIsParsedFromTheSignedAttributes() throws {
        var f = CardFaults()
        f.expiredSigner = true
        let card = try PersonalizedCard.personalize(.sample, faults: f)
        let sod = try SOD(try #require(card.files[.sod]))
        #expect(sod.signedData.signerInfos.first?.signingTime == (try Self.date("2023-01-15")))
        var g = CardFaults()
        g.noSigningTime = true
        let unsigned = try SOD(try #require(try PersonalizedCard.personalize(.sample, faults: g).files[.sod]))
        #expect(unsigned.signedData.signerInfos.first?.signingTime == nil)
    }

    @Test func chainCheckJudgesAtTheSigningTime() throws {
        let pki = try TestPKI(faults: { var f = CardFaults(); f.expiredSigner = true; return f }())
        var store = TrustStore()
        try store.importBytes(pki.cscaCertificate, name: "csca", at: Self.now)
        try store.importBytes(pki.crl, name: "crl", at: Self.now)
        let dsc = try Certificate(der: pki.documentSignerCertificate)
        func signer(_ signed: String?, _ source: PassiveAuthentication.SigningTime.Source = .signingTimeAttribute) throws -> SignerResult {
            PassiveAuthentication.signer(dsc, trust: store, at: Self.now,
                                         signedAt: try signed.map { PassiveAuthentication.SigningTime(date: try Self.date($0), source: source) })
        }
        #expect(try signer("2023-01-15").code == .signerTrusted)
        #expect(try signer("2023-01-15").warnings.map(\.code) == [.signerExpired])
        #expect(try signer("2021-12-31").code == .signerNotValidAtSigning)
        #expect(try signer("2023-07-02").code == .signerNotValidAtSigning)
        // A day of issue counts whole in any time zone.
        #expect(try signer("2023-07-01", .dateOfIssue).code == .signerTrusted)
        #expect(try signer("2023-07-03", .dateOfIssue).code == .signerNotValidAtSigning)
        // Unknown signing time: judged today, when the DSC has expired.
        #expect(try signer(nil).code == .signerNotValidAtSigning)
    }

    @Test func signingTimeAfterTheVerificationDateIsRejected() throws {
        let pki = try TestPKI()
        let store = try VerificationTests.trust(pki)
        let dsc = try Certificate(der: pki.documentSignerCertificate)
        let future = PassiveAuthentication.SigningTime(date: try Self.date("2027-06-01"), source: .signingTimeAttribute)
        #expect(PassiveAuthentication.signer(dsc, trust: store, at: Self.now, signedAt: future).code == .signerNotValidAtSigning)
        let past = PassiveAuthentication.SigningTime(date: try Self.date("2025-06-01"), source: .signingTimeAttribute)
        #expect(PassiveAuthentication.signer(dsc, trust: store, at: Self.now, signedAt: past).code == .signerTrusted)
    }

    @Test func cscaMustHaveBeenValidWhenItIssuedTheSigner() throws {
        let pki = try TestPKI()
        // A DSC dated before the CSCA's own validity (2022-01-01).
        let dsc = try Certificate(der: try CertificateBuilder.certificate(
            serial: [0x33], issuer: pki.cscaName, subject: pki.documentSignerName, notBefore: "20210101", notAfter: "20350101",
            subjectKey: pki.documentSignerKey, issuerKey: pki.cscaKey, issuerKeyIdentifier: pki.cscaKeyIdentifier, role: .documentSigner))
        let store = try VerificationTests.trust(pki)
        let r = PassiveAuthentication.signer(dsc, trust: store, at: Self.now,
                                             signedAt: .init(date: try Self.date("2024-06-01"), source: .signingTimeAttribute))
        #expect(r.code == .signerNotValidAtSigning)
    }
}
