import ISO7816
import MRTDCrypto

/// Chip Authentication (ICAO 9303-11 §6.2): ECDH or DH with the chip's static key from DG14,
/// then secure messaging restarts with keys only the genuine chip can derive.
public enum ChipAuthentication {
    /// Runs CA over the current secure channel. On success returns the new secure channel — CA
    /// passes only when the chip then answers correctly under the new keys: with `confirm`, checked
    /// here with a READ BINARY of DG14's first bytes; without it, the caller's next reads under the
    /// new keys are the proof (the read session does this, so no APDU is spent on a probe).
    public static func run(over sm: SecureChannel, dg14: DG14, random: any RandomSource = SystemRandom(),
                           confirm: Bool = true) async throws -> (ChipCheckResult, SecureChannel?) {
        let infos = dg14.securityInfos
        guard let keyInfo = infos.chipAuthenticationPublicKeys.first else {
            return (ChipCheckResult(status: .notSupported, code: .notSupported, detail: "DG14 has no Chip Authentication public key"), nil)
        }
        let caInfo = infos.chipAuthenticationInfos.first { $0.keyID == keyInfo.keyID } ?? infos.chipAuthenticationInfos.first
        // CA v1 without ChipAuthenticationInfo implies 3DES.
        guard let proto = caInfo?.caProtocol ?? CAProtocol(oid: (keyInfo.protocolOID == OID.pkDH ? OID.caDH : OID.caECDH) + ".1") else {
            return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "DG14 names no usable Chip Authentication protocol"), nil)
        }
        let shared: [UInt8]
        let ephemeral: [UInt8]
        switch keyInfo.publicKey.key {
        case let .ec(domain, point):
            guard case let .ec(params, named) = domain else { return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "CA key without domain"), nil) }
            let group = try named.map { try ECGroup($0) } ?? ECGroup(explicit: params)
            let chipKey = try group.point(uncompressed: point)
            let sk = try PACE.privateKey(below: group.order, random)
            ephemeral = try group.multiplyGenerator(by: sk).uncompressed
            shared = try group.sharedSecret(privateKey: sk, peer: chipKey)
        case let .dh(group, y):
            let sk = try PACE.privateKey(below: group.exponentBound, random)
            ephemeral = try group.publicKey(privateKey: sk)
            shared = try group.sharedSecret(privateKey: sk, peer: y)
        case .rsa:
            return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "DG14 Chip Authentication key is RSA"), nil)
        }
        let keyRef = keyInfo.keyID.map { TLV(tag: 0x84, value: PACE.minimalUnsigned($0)).encoded } ?? []
        if proto.cipher == .tripleDES {
            let r = try await sm.transmit(CommandAPDU(ins: 0x22, p1: 0x41, p2: 0xA6, data: TLV(tag: 0x91, value: ephemeral).encoded + keyRef))
            guard r.status.isSuccess else { return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "MSE:Set KAT answered \(r.status)", algorithm: proto.description), nil) }
        } else {
            let at = TLV(tag: 0x80, value: PACE.oidContent(proto.oid)).encoded + keyRef
            let mse = try await sm.transmit(CommandAPDU(ins: 0x22, p1: 0x41, p2: 0xA4, data: at))
            guard mse.status.isSuccess else { return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "MSE:Set AT answered \(mse.status)", algorithm: proto.description), nil) }
            let ga = try await sm.transmit(CommandAPDU(ins: 0x86, p1: 0, p2: 0, data: TLV(tag: 0x7C, value: TLV(tag: 0x80, value: ephemeral).encoded).encoded, ne: 256))
            guard ga.status.isSuccess else { return (ChipCheckResult(status: .failed, code: .chipAuthenticationFailed, detail: "GENERAL AUTHENTICATE answered \(ga.status)", algorithm: proto.description), nil) }
        }
        sm.close()
        let (enc, mac) = KeyDerivation.sessionKeys(shared, cipher: proto.cipher)
        let fresh = SecureChannel(base: sm.base, keys: SMKeys(cipher: proto.cipher, enc: enc, mac: mac))
        guard confirm else {
            return (ChipCheckResult(status: .passed, code: .chipAuthenticated, detail: "chip proved its DG14 key; secure messaging restarted with the new keys", algorithm: proto.description), fresh)
        }
        do {
            let probe = try await fresh.transmit(CommandAPDU(ins: 0xB0, p1: 0x80 | LDSFileID.dataGroup(14).sfi, p2: 0, ne: 4))
            guard probe.status.isSuccess || probe.status == .endOfFile, probe.data == Array(dg14.raw.prefix(4)) else {
                return (ChipCheckResult(status: .failed, code: .chipKeyMismatch, detail: "chip answered \(probe.status) under the new keys", algorithm: proto.description), nil)
            }
        } catch let MRTDError.secureMessaging(e) {
            return (ChipCheckResult(status: .failed, code: .chipKeyMismatch, detail: "chip cannot speak under the Chip Authentication keys (\(e)): not the chip DG14 describes", algorithm: proto.description), nil)
        } catch let e as ISO7816Error where e.code == .responseTooShort {
            return (ChipCheckResult(status: .failed, code: .chipKeyMismatch, detail: "chip cannot speak under the Chip Authentication keys (\(e)): not the chip DG14 describes", algorithm: proto.description), nil)
        }
        return (ChipCheckResult(status: .passed, code: .chipAuthenticated, detail: "chip proved its DG14 key; secure messaging restarted with the new keys", algorithm: proto.description), fresh)
    }
}
