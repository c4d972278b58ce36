import ISO7816
import MRTDCrypto

/// The PACE configuration chosen from what the card offers.
public struct PACESelection: Hashable, Sendable {
    public let info: PACEInfo
    public let paceProtocol: PACEProtocol
    public let domain: DomainParameters
}

/// What a successful PACE run produced besides the secure channel.
public struct PACEOutcome: Sendable, Hashable {
    public let selection: PACESelection
    public let password: String
    /// Certification authority references the chip sent with its token (for Terminal Authentication).
    public let certificationAuthorityReferences: [String]
    /// The chip's ephemeral public key.
    public let chipEphemeralPublicKey: [UInt8]
    /// Chip Authentication Mapping only: the chip's mapping public key and its decrypted chip
    /// authentication data CA_PICC, to be checked against the static key from EF.CardSecurity.
    public let camMappingPublicKey: [UInt8]?
    public let camAuthenticationData: [UInt8]?
}

/// PACE v2 (ICAO 9303-11 §4.4, BSI TR-03110-2): Generic Mapping with ECDH or DH, any standardized or
/// explicit domain parameters, passwords MRZ, CAN, PIN and PUK.
public enum PACE {
    /// Picks the strongest PACEInfo this toolkit can run, deterministically: cipher strength, then
    /// ECDH over DH, then group size, then the lower parameter ID. Throws when none is usable.
    public static func select(from infos: SecurityInfos) throws -> PACESelection {
        var candidates = [(PACESelection, [Int])]()
        var reasons = [String](), unsafe = [String]()
        for info in infos.paceInfos {
            guard info.version == 2 else { reasons.append("PACEInfo version \(info.version)"); continue }
            guard let proto = info.paceProtocol else { reasons.append("unknown PACE OID \(info.protocolOID)"); continue }
            if proto.mapping == .integrated && proto.cipher != .aes128 { reasons.append("\(proto) (Integrated Mapping is implemented for AES-128)"); continue }
            guard let domain = domainParameters(for: info, proto: proto, in: infos) else {
                reasons.append("\(proto) without usable domain parameters"); continue
            }
            switch (proto.agreement, domain) {
            case (.ecdh, .ec), (.dh, .dh): break
            default: reasons.append("\(proto) with mismatched domain parameters"); continue
            }
            // The card's own parameters are checked before they can win the ranking below.
            do { try checkDomain(domain, info: info) } catch let MRTDError.unsafeDomainParameters(reason) {
                unsafe.append("\(proto) parameter \(info.parameterID.map(String.init) ?? "-"): \(reason)"); continue
            }
            let cipherRank: Int = { switch proto.cipher { case .aes256: 4; case .aes192: 3; case .aes128: 2; case .tripleDES: 1 } }()
            // CAM authenticates the chip inside PACE: prefer it when offered.
            // Lower parameter IDs rank higher; `~id` (= -id - 1) orders the same way as -id and, unlike
            // negation, cannot overflow on a card's parameterId of Int.min.
            let rank = [proto.mapping == .chipAuthentication ? 1 : 0, cipherRank, proto.agreement == .ecdh ? 1 : 0, domain.strengthBits, ~(info.parameterID ?? 0)]
            candidates.append((PACESelection(info: info, paceProtocol: proto, domain: domain), rank))
        }
        guard let best = candidates.max(by: { $0.1.lexicographicallyPrecedes($1.1) }) else {
            if !unsafe.isEmpty { throw MRTDError.unsafeDomainParameters((unsafe + reasons).joined(separator: "; ")) }
            throw MRTDError.noAccessProtocol(reasons.isEmpty ? "the card offers no PACEInfo" : reasons.joined(separator: "; "))
        }
        return best.0
    }

    /// Checks domain parameters the card supplied itself (PACEDomainParameterInfo), throwing
    /// `MRTDError.unsafeDomainParameters` with the failed check. Standardized parameters
    /// (ICAO 9303-11 table 6, from this toolkit's own tables) need no check.
    static func checkDomain(_ domain: DomainParameters, info: PACEInfo, policy: DomainParameterPolicy = .standard) throws {
        if let id = info.parameterID, id < 32, let standard = DomainParameters.standardized(id), standard == domain { return }
        do {
            switch domain {
            case .ec(let params, _): try params.check(policy)
            case .dh(let group): try group.check(policy)
            }
        } catch let e as CryptoError {
            throw MRTDError.unsafeDomainParameters(e.detail)
        }
    }

    static func domainParameters(for info: PACEInfo, proto: PACEProtocol, in infos: SecurityInfos) -> DomainParameters? {
        let proprietary = infos.paceDomainParameterInfos.filter { $0.protocolOID == proto.familyOID }
        if let id = info.parameterID {
            if id < 32, let std = DomainParameters.standardized(id) { return std }
            return proprietary.first { $0.parameterID == id }?.domainParameters
        }
        return proprietary.count == 1 ? proprietary[0].domainParameters : nil
    }

    /// Runs PACE and returns a secure channel keyed with the session keys (SSC = 0).
    /// A wrong password gives `MRTDError.accessDenied` after exactly one attempt.
    public static func establish(over channel: any CardChannel, key: AccessKey, selection: PACESelection,
                                 random: any RandomSource = SystemRandom()) async throws -> (SecureChannel, PACEOutcome) {
        let proto = selection.paceProtocol
        let cipher = proto.cipher
        // Before anything derived from the password leaves the terminal.
        try checkDomain(selection.domain, info: selection.info)
        let kpi = KeyDerivation.derive(key.pacePassword, counter: KeyDerivation.passwordCounter, cipher: cipher)

        // MSE:Set AT — protocol, password, and always the parameter ID when the card gave one.
        var at = TLV(tag: 0x80, value: oidContent(proto.oid)).encoded + [0x83, 0x01, key.passwordReference]
        if let id = selection.info.parameterID { at += TLV(tag: 0x84, value: minimalUnsigned(id)).encoded }
        let mse = try await channel.transmit(CommandAPDU(ins: 0x22, p1: 0xC1, p2: 0xA4, data: at))
        guard mse.status.isSuccess else {
            if case .referencedDataNotFound = mse.status.meaning {
                throw MRTDError.noAccessProtocol("the card has no \(key.passwordName) for PACE (\(mse.status))")
            }
            throw MRTDError.cardStatus(mse.status, step: "PACE MSE:Set AT")
        }

        // Step 1: encrypted nonce.
        let z = try await generalAuthenticate(channel, [], expect: 0x80, chained: true, step: "PACE nonce")
        let s: [UInt8]
        do {
            s = cipher == .tripleDES ? try TripleDES.decryptCBC(key: kpi, z) : try AESCipher.decryptCBC(key: kpi, z)
        } catch {
            throw MRTDError.protocolViolation("encrypted nonce of \(z.count) bytes does not decrypt")
        }

        // Integrated Mapping's step 2: the terminal's nonce t goes to the chip in clear; no answer data.
        func sendMappingNonce() async throws -> [UInt8] {
            let t = random.bytes(cipher.blockSize)
            _ = try await generalAuthenticate(channel, TLV(tag: 0x81, value: t).encoded, expect: nil, chained: true, step: "PACE mapping")
            return t
        }

        // Steps 2 and 3: mapping and key agreement.
        let shared: [UInt8]
        let ourKey: [UInt8]
        let chipKey: [UInt8]
        var chipMapKey: [UInt8]? = nil
        switch selection.domain {
        case .ec(let params, let named):
            let group = try named.map { try ECGroup($0) } ?? ECGroup(explicit: params)
            let mapped: ECGroup
            if proto.mapping == .integrated {
                mapped = try IntegratedMapping.map(s: s, t: try await sendMappingNonce(), group: group)
            } else {
                let skMap = try privateKey(below: group.order, random)
                let pkMap = try group.multiplyGenerator(by: skMap)
                let chipMapBytes = try await generalAuthenticate(channel, TLV(tag: 0x81, value: pkMap.uncompressed).encoded, expect: 0x82, chained: true, step: "PACE mapping")
                let chipMap = try point(chipMapBytes, group)
                chipMapKey = chipMap.uncompressed
                let h = try group.multiply(chipMap, by: skMap)
                mapped = try group.withGenerator(try group.add(try group.multiplyGenerator(by: s), h))
            }
            let sk = try privateKey(below: mapped.order, random)
            let pk = try mapped.multiplyGenerator(by: sk)
            let chipBytes = try await generalAuthenticate(channel, TLV(tag: 0x83, value: pk.uncompressed).encoded, expect: 0x84, chained: true, step: "PACE key agreement")
            let chipPK = try point(chipBytes, mapped)
            guard chipPK != pk else { throw MRTDError.protocolViolation("chip echoed our ephemeral key") }
            shared = try mapped.sharedSecret(privateKey: sk, peer: chipPK)
            ourKey = pk.uncompressed
            chipKey = chipPK.uncompressed
        case .dh(let group):
            let width = group.p.count
            let mapped: DHGroup
            if proto.mapping == .integrated {
                mapped = try IntegratedMapping.map(s: s, t: try await sendMappingNonce(), group: group)
            } else {
                let skMap = try privateKey(below: group.exponentBound, random)
                let pkMap = try group.publicKey(privateKey: skMap)
                let chipMap = try await generalAuthenticate(channel, TLV(tag: 0x81, value: pkMap).encoded, expect: 0x82, chained: true, step: "PACE mapping")
                let h = try dhShared(group, skMap, chipMap)
                mapped = try group.mappedGenerator(nonce: s, h: h)
            }
            let sk = try privateKey(below: group.exponentBound, random)
            let pk = try mapped.publicKey(privateKey: sk)
            let chipPK = try await generalAuthenticate(channel, TLV(tag: 0x83, value: pk).encoded, expect: 0x84, chained: true, step: "PACE key agreement")
            guard leftPad(chipPK, width) != pk else { throw MRTDError.protocolViolation("chip echoed our ephemeral key") }
            shared = try dhShared(mapped, sk, chipPK)
            ourKey = pk
            chipKey = leftPad(chipPK, width)
        }

        // Step 4: mutual authentication with tokens.
        let (ksenc, ksmac) = KeyDerivation.sessionKeys(shared, cipher: cipher)
        let tPCD = try token(ksmac, cipher, publicKeyDataObject(proto, selection.domain, chipKey))
        let tokenCommand = CommandAPDU(ins: 0x86, p1: 0, p2: 0, data: TLV(tag: 0x7C, value: TLV(tag: 0x85, value: tPCD).encoded).encoded, ne: 256)
        let r = try await channel.transmit(tokenCommand)
        switch r.status.meaning {
        case .success: break
        case .verificationFailed, .securityNotSatisfied, .authenticationMethodBlocked, .conditionsNotSatisfied, .incorrectData:
            throw MRTDError.accessDenied(method: "\(key.passwordName) (PACE)", status: r.status)
        default:
            throw MRTDError.cardStatus(r.status, step: "PACE mutual authentication")
        }
        let objects = try dynamicAuthenticationData(r.data, step: "PACE mutual authentication")
        guard let tPICC = objects.first(where: { $0.tag == 0x86 })?.value else {
            throw MRTDError.protocolViolation("chip token missing")
        }
        let expected = try token(ksmac, cipher, publicKeyDataObject(proto, selection.domain, ourKey))
        guard constantTimeEqual(expected, tPICC) else {
            throw MRTDError.protocolViolation("chip authentication token does not verify")
        }
        let cars = objects.filter { $0.tag == 0x87 || $0.tag == 0x88 }.map { String(decoding: $0.value, as: UTF8.self) }
        var camData: [UInt8]? = nil
        if proto.mapping == .chipAuthentication {
            guard let encrypted = objects.first(where: { $0.tag == 0x8A })?.value else {
                throw MRTDError.protocolViolation("PACE-CAM response lacks encrypted chip authentication data (8A)")
            }
            camData = try decryptCAMData(encrypted, ksenc: ksenc, cipher: cipher)
        }
        let secure = SecureChannel(base: channel, keys: SMKeys(cipher: cipher, enc: ksenc, mac: ksmac))
        return (secure, PACEOutcome(selection: selection, password: key.passwordName, certificationAuthorityReferences: cars,
                                    chipEphemeralPublicKey: chipKey, camMappingPublicKey: proto.mapping == .chipAuthentication ? chipMapKey : nil,
                                    camAuthenticationData: camData))
    }

    // MARK: - Chip Authentication Mapping

    /// The IV for chip authentication data: E(KSenc, −1), i.e. the all-FF block encrypted.
    static func camIV(_ ksenc: [UInt8]) throws -> [UInt8] {
        try AESCipher.encryptBlock(key: ksenc, [UInt8](repeating: 0xFF, count: 16))
    }

    static func decryptCAMData(_ encrypted: [UInt8], ksenc: [UInt8], cipher: SMCipher) throws -> [UInt8] {
        guard cipher != .tripleDES, !encrypted.isEmpty, encrypted.count % 16 == 0,
              let plain = try? AESCipher.decryptCBC(key: ksenc, iv: try camIV(ksenc), encrypted),
              let ca = ISO9797Padding.unpad(plain) else {
            throw MRTDError.protocolViolation("encrypted chip authentication data does not decrypt")
        }
        return ca
    }

    /// The chip side: A_PICC = E(KSenc, pad(CA_PICC)) with CA_PICC = SK_map · SK_static⁻¹ mod n.
    public static func encryptCAMData(_ ca: [UInt8], ksenc: [UInt8]) throws -> [UInt8] {
        try AESCipher.encryptCBC(key: ksenc, iv: try camIV(ksenc), ISO9797Padding.pad(ca, blockSize: 16))
    }

    /// The terminal's check: CA_PICC · PK_static must equal the chip's mapping key PK_map.
    public static func verifyCAM(outcome: PACEOutcome, staticKey: PublicKey) -> Bool {
        guard let ca = outcome.camAuthenticationData, let mapKey = outcome.camMappingPublicKey,
              case let .ec(domain, point) = staticKey, case let .ec(params, named) = domain,
              let group = try? named.map({ try ECGroup($0) }) ?? ECGroup(explicit: params),
              let pk = try? group.point(uncompressed: point),
              let product = try? group.multiply(pk, by: ca) else { return false }
        return product.uncompressed == mapKey
    }

    // MARK: - Pieces shared with the chip side and the tests

    /// The authentication token: MAC over the public key data object (CMAC without padding for
    /// AES, retail MAC over padded data for 3DES), 8 bytes.
    public static func token(_ ksmac: [UInt8], _ cipher: SMCipher, _ pkdo: [UInt8]) throws -> [UInt8] {
        switch cipher {
        case .tripleDES: return try TripleDES.retailMAC(key: ksmac, ISO9797Padding.pad(pkdo, blockSize: 8))
        default: return try AESCipher.cmac(key: ksmac, pkdo, length: 8)
        }
    }

    /// 7F49 { 06 protocol OID, 86 EC point | 84 DH value }.
    public static func publicKeyDataObject(_ proto: PACEProtocol, _ domain: DomainParameters, _ key: [UInt8]) -> [UInt8] {
        let tag: TLVTag
        switch domain {
        case .ec: tag = 0x86
        case .dh: tag = 0x84
        }
        return TLV(tag: 0x7F49, children: [TLV(tag: 0x06, value: oidContent(proto.oid)), TLV(tag: tag, value: key)]).encoded
    }

    /// The content octets of an OID (what tag 0x80 and 0x06 carry).
    public static func oidContent(_ oid: String) -> [UInt8] {
        Array(DERBuilder.oid(oid).dropFirst(2))
    }

    static func minimalUnsigned(_ v: Int) -> [UInt8] {
        var b = [UInt8]()
        var x = v
        repeat { b.insert(UInt8(x & 0xFF), at: 0); x >>= 8 } while x > 0
        return b
    }

    static func leftPad(_ b: [UInt8], _ width: Int) -> [UInt8] {
        let t = Array(b.drop { $0 == 0 })
        return t.count >= width ? t : [UInt8](repeating: 0, count: width - t.count) + t
    }

    /// A private key in [1, order) from the random source (rejection sampling on the order's bit length).
    public static func privateKey(below order: [UInt8], _ random: any RandomSource) throws -> [UInt8] {
        for _ in 0..<64 {
            var k = random.bytes(order.count)
            // Mask to the order's bit length so rejection sampling rarely rejects (P-521's order
            // starts with 0x01). Values already below the order, as test vectors are, are unchanged.
            if let top = order.first(where: { _ in true }), !k.isEmpty {
                let mask = UInt8(truncatingIfNeeded: (1 << (8 - top.leadingZeroBitCount)) - 1)
                k[0] &= top == 0 ? 0xFF : mask
            }
            if k.contains(where: { $0 != 0 }) && ModularArithmetic.compare(k, order) < 0 { return k }
        }
        throw MRTDError.protocolViolation("random source produced no valid private key")
    }

    static func point(_ bytes: [UInt8], _ group: ECGroup) throws -> ECPoint {
        do { return try group.point(uncompressed: bytes) } catch {
            throw MRTDError.protocolViolation("chip public key is not a valid point")
        }
    }

    static func dhShared(_ group: DHGroup, _ sk: [UInt8], _ peer: [UInt8]) throws -> [UInt8] {
        do { return try group.sharedSecret(privateKey: sk, peer: peer) } catch {
            throw MRTDError.protocolViolation("chip DH public value is invalid")
        }
    }

    /// Sends one GENERAL AUTHENTICATE step (7C-wrapped) and returns the value of the expected tag.
    /// `expect` nil: the answer carries no data object (Integrated Mapping's step 2).
    static func generalAuthenticate(_ channel: any CardChannel, _ content: [UInt8], expect tag: TLVTag?, chained: Bool, step: String) async throws -> [UInt8] {
        let c = CommandAPDU(cla: chained ? 0x10 : 0x00, ins: 0x86, p1: 0, p2: 0, data: TLV(tag: 0x7C, value: content).encoded, ne: 256)
        let r = try await channel.transmit(c)
        guard r.status.isSuccess else {
            switch r.status.meaning {
            case .securityNotSatisfied, .conditionsNotSatisfied, .authenticationMethodBlocked:
                throw MRTDError.noAccessProtocol("\(step) refused (\(r.status))")
            default:
                throw MRTDError.cardStatus(r.status, step: step)
            }
        }
        let objects = try dynamicAuthenticationData(r.data, step: step)
        guard let tag else { return [] }
        guard let v = objects.first(where: { $0.tag == tag })?.value, !v.isEmpty else {
            throw MRTDError.protocolViolation("\(step): response lacks tag \(tag)")
        }
        return v
    }

    static func dynamicAuthenticationData(_ data: [UInt8], step: String) throws -> [TLV] {
        do {
            let outer = try TLV.parse(data)
            guard outer.tag == 0x7C else { throw MRTDError.protocolViolation("\(step): response is not dynamic authentication data") }
            return try outer.children()
        } catch let e as MRTDError {
            throw e
        } catch {
            throw MRTDError.protocolViolation("\(step): malformed response (\(error))")
        }
    }
}
