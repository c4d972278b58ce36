import ISO7816
import MRTD
import MRTDCrypto

/// The chip side of PACE Generic Mapping (ECDH and DH), written from ICAO 9303-11 §4.4 and
/// tested on its own against Appendix G — not by replaying the reader.
struct ChipPACE {
    enum Step { case nonce, mapping, agreement, token, done }

    let proto: PACEProtocol
    let domain: DomainParameters
    let kpi: [UInt8]
    var step = Step.nonce
    var nonce: [UInt8] = []
    var ecGroup: ECGroup?
    var mappedEC: ECGroup?
    var mappedDH: DHGroup?
    var privateKey: [UInt8] = []
    var ourPublic: [UInt8] = []
    var theirPublic: [UInt8] = []
    var keys: (enc: [UInt8], mac: [UInt8])?
    /// Chip Authentication Mapping: the static CA private key, and the mapping private key kept
    /// to compute CA_PICC.
    let camStaticKey: ECPrivateKey?
    var mappingPrivateKey: [UInt8] = []

    init(proto: PACEProtocol, domain: DomainParameters, password: [UInt8], camStaticKey: ECPrivateKey? = nil) {
        self.proto = proto
        self.domain = domain
        self.camStaticKey = camStaticKey
        kpi = KeyDerivation.derive(password, counter: KeyDerivation.passwordCounter, cipher: proto.cipher)
    }

    enum Failure: Error { case badRequest, wrongPassword }

    /// Handles one GENERAL AUTHENTICATE body (the content of 7C) and returns the response content.
    mutating func next(_ objects: [TLV], random: any RandomSource) throws -> [UInt8] {
        switch step {
        case .nonce:
            guard objects.isEmpty else { throw Failure.badRequest }
            nonce = random.bytes(proto.cipher.blockSize)
            let z = proto.cipher == .tripleDES ? try TripleDES.encryptCBC(key: kpi, nonce) : try AESCipher.encryptCBC(key: kpi, nonce)
            step = .mapping
            return TLV(tag: 0x80, value: z).encoded
        case .mapping:
            guard let pcd = objects.first(where: { $0.tag == 0x81 })?.value else { throw Failure.badRequest }
            step = .agreement
            if proto.mapping == .integrated {
                switch domain {
                case .ec(let params, let named):
                    let g = try named.map { try ECGroup($0) } ?? ECGroup(explicit: params)
                    ecGroup = g
                    mappedEC = try IntegratedMapping.map(s: nonce, t: pcd, group: g)
                case .dh(let g):
                    mappedDH = try IntegratedMapping.map(s: nonce, t: pcd, group: g)
                }
                return []
            }
            switch domain {
            case .ec(let params, let named):
                let g = try named.map { try ECGroup($0) } ?? ECGroup(explicit: params)
                ecGroup = g
                let sk = try key(below: g.order, random)
                mappingPrivateKey = sk
                let pk = try g.multiplyGenerator(by: sk)
                let h = try g.multiply(try g.point(uncompressed: pcd), by: sk)
                mappedEC = try g.withGenerator(try g.add(try g.multiplyGenerator(by: nonce), h))
                return TLV(tag: 0x82, value: pk.uncompressed).encoded
            case .dh(let g):
                let sk = try key(below: g.q, random)
                let pk = try g.publicKey(privateKey: sk)
                let h = try g.sharedSecret(privateKey: sk, peer: pcd)
                mappedDH = try g.mappedGenerator(nonce: nonce, h: h)
                return TLV(tag: 0x82, value: pk).encoded
            }
        case .agreement:
            guard let pcd = objects.first(where: { $0.tag == 0x83 })?.value else { throw Failure.badRequest }
            step = .token
            let shared: [UInt8]
            if let g = mappedEC {
                let sk = try key(below: g.order, random)
                let pk = try g.multiplyGenerator(by: sk)
                let peer = try g.point(uncompressed: pcd)
                guard peer != pk else { throw Failure.badRequest }
                shared = try g.sharedSecret(privateKey: sk, peer: peer)
                ourPublic = pk.uncompressed
                theirPublic = pcd
            } else if let g = mappedDH {
                let sk = try key(below: g.q, random)
                let pk = try g.publicKey(privateKey: sk)
                shared = try g.sharedSecret(privateKey: sk, peer: pcd)
                ourPublic = pk
                theirPublic = pcd
            } else {
                throw Failure.badRequest
            }
            keys = KeyDerivation.sessionKeys(shared, cipher: proto.cipher)
            return TLV(tag: 0x84, value: ourPublic).encoded
        case .token:
            guard let t = objects.first(where: { $0.tag == 0x85 })?.value, let keys else { throw Failure.badRequest }
            let expected = try PACE.token(keys.mac, proto.cipher, PACE.publicKeyDataObject(proto, domain, ourPublic))
            guard t == expected else { throw Failure.wrongPassword }
            step = .done
            let ours = try PACE.token(keys.mac, proto.cipher, PACE.publicKeyDataObject(proto, domain, theirPublic))
            var out = TLV(tag: 0x86, value: ours).encoded
            if proto.mapping == .chipAuthentication {
                guard let stat = camStaticKey, let n = ecGroup?.order else { throw Failure.badRequest }
                let inv = try ModularArithmetic.inverse(stat.scalar, n)
                let ca = try ModularArithmetic.modMul(mappingPrivateKey, inv, n)
                out += TLV(tag: 0x8A, value: try PACE.encryptCAMData(ca, ksenc: keys.enc)).encoded
            }
            return out
        case .done:
            throw Failure.badRequest
        }
    }

    private func key(below order: [UInt8], _ random: any RandomSource) throws -> [UInt8] {
        do { return try PACE.privateKey(below: order, random) } catch { throw Failure.badRequest }
    }
}
