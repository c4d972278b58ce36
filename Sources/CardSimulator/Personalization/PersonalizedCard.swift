import CCCD
import Foundation
import ISO7816
import MRTD
import MRTDCrypto

/// The Active Authentication key a chip holds.
public enum AAPrivateKey: Sendable {
    case rsa(RSAPrivateKey)
    case ec(ECPrivateKey)

    public var publicKey: PublicKey {
        switch self {
        case .rsa(let k): return .rsa(modulus: k.publicKey.modulus, exponent: k.publicKey.exponent)
        case .ec(let k): return .ec(.ec(k.group.parameters, named: k.group.namedCurve), point: k.publicKey.uncompressed)
        }
    }
}

/// A card's content after personalisation: its files, its secrets and the PKI that signed it.
public struct PersonalizedCard: Sendable {
    public let profile: CardProfile
    public let faults: CardFaults
    public let pki: TestPKI
    public let mrzLines: [String]
    public let can: String
    public internal(set) var files: [LDSFileID: [UInt8]]
    public let cardAccess: SecurityInfos
    /// Keys the chip answers with (differ from the published ones under key-mismatch faults).
    public let chipAuthenticationKey: ECPrivateKey
    /// The DH Chip Authentication key (group, private exponent) when DG14 offers CA with DH.
    public let chipAuthenticationDH: (group: DHGroup, privateKey: [UInt8])?
    public let activeAuthenticationKey: AAPrivateKey
    public let paceInfos: [PACEInfo]

    /// The MRZ access key of this card.
    public var mrzKey: AccessKey {
        let doc = String(mrzLines[0].dropFirst(5).prefix(9))
        let l2 = Array(mrzLines[1])
        return .mrz(documentNumber: doc, dateOfBirth: String(l2[0..<6]), dateOfExpiry: String(l2[8..<14]))
    }

    public static func personalize(_ profile: CardProfile, faults: CardFaults = CardFaults()) throws -> PersonalizedCard {
        try profile.citizen.validate()
        // A profile may come from a file: a face the reader could never read (FileReader stops at
        // 16 MiB) is refused here rather than grown without bound.
        guard (0...(1 << 23)).contains(profile.faceSize) else { throw CCCDError.invalidField("faceSize must be 0-8388608 bytes") }
        let seed = Array(profile.seed.utf8)
        let pki = try TestPKI(seed: faults.unknownSigner ? profile.seed + "/unknown-csca" : profile.seed,
                              flavor: profile.pkiFlavor, faults: faults)
        let id = try IDNumber(profile.citizen.idNumber)
        let can = profile.can ?? id.defaultCAN
        guard ASCIIDigits.isDigits(can, count: 6) else { throw CCCDError.invalidField("CAN must be 6 digits") }

        // MRZ and DG1 (optionally inconsistent with DG13).
        var mrzRecord = profile.citizen
        if faults.dg1DG13Inconsistent {
            let y = Int(mrzRecord.dateOfBirth.prefix(4))! - 1  // validated above: YYYY-MM-DD in ASCII digits
            mrzRecord.dateOfBirth = "\(y)" + mrzRecord.dateOfBirth.dropFirst(4)
        }
        let mrzLines = try VietnameseMRZ.lines(for: profile.citizen)
        let dg1Lines = try VietnameseMRZ.lines(for: mrzRecord)

        // Face.
        let face: [UInt8]
        var faceFormat = profile.faceFormat
        if let path = profile.faceImagePath {
            face = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            guard let f = ImageFormat(sniffing: face) else { throw CCCDError.invalidField("\(path) is neither JPEG nor JPEG 2000") }
            faceFormat = f
        } else {
            face = PlaceholderFace.padded(faceFormat, to: profile.faceSize)
        }

        // Chip keys: CA on brainpoolP256r1, AA as configured.
        let caGroup = try ECGroup(.brainpoolP256r1)
        let caKey = try ECPrivateKey(group: caGroup, seed: seed + Array("/ca/\(id.digits)".utf8))
        let aaKey: AAPrivateKey
        switch profile.activeAuthentication {
        case .rsa1024: aaKey = .rsa(try RSAPrivateKey(bits: 1024, seed: seed + Array("/aa/\(id.digits)".utf8)))
        case .rsa2048: aaKey = .rsa(try RSAPrivateKey(bits: 2048, seed: seed + Array("/aa/\(id.digits)".utf8)))
        case .ecdsaP256: aaKey = .ec(try ECPrivateKey(group: try ECGroup(.p256), seed: seed + Array("/aa/\(id.digits)".utf8)))
        }

        // EF.CardAccess: TA, CA and PACE infos as real cards publish them.
        let suites: [String: String] = ["ECDH-AES-128": OID.caECDH + ".2", "ECDH-3DES": OID.caECDH + ".1",
                                        "DH-AES-128": OID.caDH + ".2", "DH-3DES": OID.caDH + ".1"]
        guard let caOID = suites[profile.chipAuthentication] else {
            throw CCCDError.invalidField("chipAuthentication must be one of \(suites.keys.sorted().joined(separator: ", "))")
        }
        let caInfo = ChipAuthenticationInfo(protocolOID: caOID, version: 1)
        let dhGroup = DHGroup(.group2048_224)
        let dhPrivate = try ModularArithmetic.mod(HashAlgorithm.sha512.hash(seed + Array("/ca-dh/\(id.digits)".utf8)), dhGroup.q)
        let useDH = profile.chipAuthentication.hasPrefix("DH")
        guard ["GM", "IM", "CAM"].contains(profile.paceMapping) else { throw CCCDError.invalidField("paceMapping must be GM, IM or CAM") }
        // Parameter IDs 0–2 are DH groups (Generic Mapping over DH); 8–18 are curves.
        let cipherSuffix = ["3DES": "1", "AES-128": "2", "AES-192": "3", "AES-256": "4"]
        guard let suffix = cipherSuffix[profile.paceCipher] else { throw CCCDError.invalidField("paceCipher must be 3DES, AES-128, AES-192 or AES-256") }
        var domainInfos: [SecurityInfo] = []
        let paceInfos: [PACEInfo] = profile.pace ? try profile.paceParameterIDs.enumerated().map { index, id in
            guard let domain = DomainParameters.standardized(id) else { throw CCCDError.invalidField("PACE parameter ID \(id) is not standardized") }
            let family: String
            switch (profile.paceMapping, id <= 2) {
            case ("IM", true): family = OID.paceDHIM
            case ("IM", false): family = OID.paceECDHIM
            case ("CAM", false): family = OID.paceECDHCAM
            case (_, true): family = OID.paceDHGM
            default: family = OID.paceECDHGM
            }
            if profile.paceExplicitDomain && index == 0 {
                domainInfos.append(.paceDomainParameters(PACEDomainParameterInfo(protocolOID: family, domainParameters: domain, parameterID: 32)))
                return PACEInfo(protocolOID: family + "." + suffix, parameterID: 32)
            }
            return PACEInfo(protocolOID: family + "." + suffix, parameterID: id)
        } : []
        // Under the downgrade fault the unsigned EF.CardAccess (and the chip) offer 3DES instead of
        // the cipher the signed DG14 lists.
        let offeredPACE = faults.paceDowngrade
            ? paceInfos.map { PACEInfo(protocolOID: String($0.protocolOID.dropLast()) + "1", parameterID: $0.parameterID) } : paceInfos
        // Under the unnamed-domain fault EF.CardAccess names no parameter ID and spells the curve out
        // (the chip itself still runs its standardized one); DG14 keeps naming the parameter ID.
        var advertisedPACE = offeredPACE
        if faults.paceUnnamedDomain, let first = offeredPACE.first, let pid = first.parameterID,
           let domain = DomainParameters.standardized(pid) {
            advertisedPACE = [PACEInfo(protocolOID: first.protocolOID, parameterID: nil)]
            domainInfos.append(.paceDomainParameters(PACEDomainParameterInfo(protocolOID: String(first.protocolOID.dropLast(2)),
                                                                             domainParameters: domain, parameterID: nil)))
        }
        if faults.hidePACE {
            advertisedPACE = []
            domainInfos = []
        }
        let cardAccess = SecurityInfos([.terminalAuthentication(TerminalAuthenticationInfo())] + [.chipAuthentication(caInfo)] + advertisedPACE.map { .pace($0) } + domainInfos)

        // DG14 and DG15.
        let caSPKI = try SubjectPublicKeyInfo(der: SubjectPublicKeyInfo.encode(.ec(.ec(caGroup.parameters, named: .brainpoolP256r1), point: caKey.publicKey.uncompressed)))
        let dhSPKI = try SubjectPublicKeyInfo(der: SubjectPublicKeyInfo.encode(.dh(dhGroup, y: try dhGroup.publicKey(privateKey: dhPrivate))))
        let caKeyInfo = useDH ? ChipAuthenticationPublicKeyInfo(protocolOID: OID.pkDH, publicKey: dhSPKI)
                              : ChipAuthenticationPublicKeyInfo(protocolOID: OID.pkECDH, publicKey: caSPKI)
        var dg14Infos: [SecurityInfo] = [.chipAuthentication(caInfo), .chipAuthenticationPublicKey(caKeyInfo),
                                         .terminalAuthentication(TerminalAuthenticationInfo())]
        dg14Infos += paceInfos.map { .pace($0) }
        if case .ec = aaKey { dg14Infos.append(.activeAuthentication(ActiveAuthenticationInfo(signatureAlgorithm: OID.ecdsaPlainSHA256))) }
        var dg14 = DG14.encode(SecurityInfos(dg14Infos))
        if faults.chipAuthenticationBadKey {
            // Move the published point off the curve (last byte of y), before EF.SOD signs DG14.
            let point = useDH ? try dhGroup.publicKey(privateKey: dhPrivate) : caKey.publicKey.uncompressed
            if let at = dg14.firstRange(of: point) { dg14[at.upperBound - 1] ^= 0x01 }
        }
        let dg15 = DG15.encode(SubjectPublicKeyInfo.encode(aaKey.publicKey))

        var files: [LDSFileID: [UInt8]] = [
            .dataGroup(1): DG1.encode(mrz: dg1Lines),
            .dataGroup(2): DG2.encode(image: face, format: faceFormat, width: PlaceholderFace.width, height: PlaceholderFace.height),
            // DG3 (fingerprints) exists but is behind Terminal Authentication; a small stand-in.
            .dataGroup(3): TLV(tag: 0x63, children: [TLV(tag: 0x02, value: [0x00])]).encoded,
            .dataGroup(13): profile.citizen.dg13,
            .dataGroup(14): dg14,
            .dataGroup(15): dg15,
        ]
        files[.com] = EFCOM.encode(files: files.keys.sorted())
        let hash = HashAlgorithm.sha256
        let securityObject = LDSSecurityObject.encode(hash: hash, hashes: Dictionary(uniqueKeysWithValues: files.compactMap { k, v -> (Int, [UInt8])? in
            if case .dataGroup(let n) = k, !faults.unsignedDataGroups.contains(n) { return (n, hash.hash(v)) }
            return nil
        }))
        var sod = try pki.signSOD(securityObject)
        if faults.corruptSODSignature { sod[sod.count - 1] ^= 0x01 }
        files[.sod] = sod
        files[.cardAccess] = cardAccess.der
        if profile.paceMapping == "CAM" {
            // EF.CardSecurity: the chip's static key for CAM, signed by the document signer.
            let infos = SecurityInfos(cardAccess.infos + [.chipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo(protocolOID: OID.pkECDH, publicKey: caSPKI))])
            files[.cardSecurity] = try CertificateBuilder.signedData(contentType: OID.securityObject, content: infos.der, signer: pki.documentSignerKey,
                                                                      signerCertificate: pki.documentSignerCertificate, issuer: pki.cscaName, serial: pki.documentSignerSerial)
        }
        for n in faults.alteredDataGroups {
            guard var f = files[.dataGroup(n)] else { continue }
            f[f.count - 1] ^= 0x20
            files[.dataGroup(n)] = f
        }

        for n in faults.garbledDataGroups where files[.dataGroup(n)] != nil {
            files[.dataGroup(n)] = [0x6F, 0x80, 0x00, 0x00]  // indefinite length: no file header parses
        }
        for n in faults.withheldDataGroups { files[.dataGroup(n)] = nil }
        if faults.withholdCardSecurity { files[.cardSecurity] = nil }

        let chipCA = faults.chipAuthenticationKeyMismatch ? try ECPrivateKey(group: caGroup, seed: seed + Array("/clone-ca".utf8)) : caKey
        let chipDH = faults.chipAuthenticationKeyMismatch ? try ModularArithmetic.mod(HashAlgorithm.sha512.hash(seed + Array("/clone-ca-dh".utf8)), dhGroup.q) : dhPrivate
        let chipAA: AAPrivateKey
        if faults.activeAuthenticationKeyMismatch {
            switch aaKey {
            case .rsa(let k): chipAA = .rsa(try RSAPrivateKey(bits: k.publicKey.bitLength, seed: seed + Array("/clone-aa".utf8)))
            case .ec(let k): chipAA = .ec(try ECPrivateKey(group: k.group, seed: seed + Array("/clone-aa".utf8)))
            }
        } else {
            chipAA = aaKey
        }
        return PersonalizedCard(profile: profile, faults: faults, pki: pki, mrzLines: mrzLines, can: can, files: files,
                                cardAccess: cardAccess, chipAuthenticationKey: chipCA, chipAuthenticationDH: useDH ? (dhGroup, chipDH) : nil,
                                activeAuthenticationKey: chipAA, paceInfos: offeredPACE)
    }
}
