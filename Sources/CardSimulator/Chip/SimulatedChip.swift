import Foundation
import ISO7816
import MRTD
import MRTDCrypto

/// A simulated eMRTD chip personalised as a Vietnamese ID card: ISO 7816-4 file system with access
/// conditions, BAC, PACE (Generic Mapping), 3DES and AES secure messaging, Chip Authentication,
/// Active Authentication, extended length and odd-INS reads, and the status words real chips use.
///
/// It implements the card side from the specifications, so a reader bug shows up here as it would
/// against a real card. Thread-safe: the vpcd bridge and tests may call it from any thread.
public final class SimulatedChip: SmartCard, @unchecked Sendable {
    public let card: PersonalizedCard
    public let atr: [UInt8]
    private let random: any RandomSource
    private let lock = NSLock()
    private var state = State()
    private var answered = 0

    struct State {
        var applicationSelected = false
        var currentEF: LDSFileID?
        var sm: SecureMessagingCodec?
        var accessGranted = false
        var challenge: [UInt8]?
        var pace: ChipPACE?
        var caProtocol: CAProtocol?
        /// Keys to switch to after the current response is wrapped (Chip Authentication).
        var pendingKeys: SMKeys?
        /// Keys to start after a plain response (PACE).
        var startKeys: SMKeys?
        /// Chip Authentication switched the keys in this session.
        var chipAuthenticated = false
    }

    public init(card: PersonalizedCard, random: any RandomSource = SystemRandom()) {
        self.card = card
        self.random = random
        atr = card.faults.mute ? [] : ATRBuilder.contactless(extendedLength: card.profile.extendedLength)
    }

    public convenience init(profile: CardProfile = .sample, faults: CardFaults = CardFaults()) throws {
        self.init(card: try PersonalizedCard.personalize(profile, faults: faults))
    }

    /// Command APDUs answered since creation.
    public var commandsAnswered: Int { lock.lock(); defer { lock.unlock() }; return answered }

    /// The bridge hook implementing the remove-after-N fault.
    public var bridgeHook: (@Sendable (Int) -> Bool)? {
        guard let n = card.faults.removeAfterAPDUs else { return nil }
        return { $0 <= n }
    }

    public func reset() {
        lock.lock()
        state = State()
        lock.unlock()
    }

    public func process(_ bytes: [UInt8]) -> [UInt8] {
        if card.faults.mute { return [] }
        if card.faults.latencyMilliseconds > 0 { usleep(UInt32(card.faults.latencyMilliseconds) * 1000) }
        lock.lock()
        defer { lock.unlock() }
        answered += 1
        if state.chipAuthenticated && card.faults.shortAnswerAfterChipAuthentication { return [0x90] }
        guard var command = try? CommandAPDU(bytes: bytes) else { return sw(0x6700) }
        let protected = command.cla & 0x0C == 0x0C
        if protected {
            guard var codec = state.sm else { return sw(0x6988) }
            do {
                command = try codec.unprotectCommand(command)
                state.sm = codec
            } catch {
                dropSession()
                return sw(0x6988)
            }
        } else if state.sm != nil {
            // A plain command ends the secure-messaging session (ICAO 9303-11 §9.8.6).
            dropSession()
        }
        if command.ins == 0x88 && card.faults.activeAuthenticationShortAnswer { return [0x6F] }
        if protected && command.ins == 0x88 && card.faults.activeAuthenticationPlainStatus {
            dropSession()
            return sw(0x6982)
        }
        let response = dispatch(command, protected: protected)
        var out = response
        if protected, var codec = state.sm {
            guard let wrapped = try? codec.protectResponse(response, oddINS: command.ins & 1 == 1) else {
                dropSession()
                return sw(0x6F00)
            }
            state.sm = codec
            out = wrapped
        }
        if let keys = state.pendingKeys {
            state.sm = SecureMessagingCodec(keys: keys)
            state.pendingKeys = nil
            state.chipAuthenticated = true
        }
        if let keys = state.startKeys {
            state.sm = SecureMessagingCodec(keys: keys)
            state.startKeys = nil
            state.accessGranted = true
        }
        return out.bytes
    }

    private func dropSession() {
        state.sm = nil
        state.accessGranted = false
        state.pace = nil
        state.caProtocol = nil
    }

    private func sw(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    private func status(_ v: UInt16, _ data: [UInt8] = []) -> ResponseAPDU { ResponseAPDU(data: data, status: StatusWord(v)) }

    // MARK: - Dispatch

    private func dispatch(_ c: CommandAPDU, protected: Bool) -> ResponseAPDU {
        switch (c.cla & ~0x1C, c.ins) {
        case (0x00, 0xA4): return select(c)
        case (0x00, 0xB0): return readBinary(c)
        case (0x00, 0xB1): return readBinaryOdd(c)
        case (0x00, 0x84): return getChallenge(c)
        case (0x00, 0x82): return externalAuthenticate(c)
        case (0x00, 0x22): return manageSecurityEnvironment(c, protected: protected)
        case (0x00, 0x86): return generalAuthenticate(c, protected: protected)
        case (0x00, 0x88): return internalAuthenticate(c)
        default: return status(0x6D00)
        }
    }

    private func file(_ id: LDSFileID) -> [UInt8]? { card.files[id] }

    /// Access rules: EF.CardAccess always; application files after BAC/PACE; DG3/DG4 never
    /// (Terminal Authentication is not offered to readers here).
    private func accessStatus(_ id: LDSFileID) -> UInt16? {
        if id == .cardAccess { return nil }
        if id == .cardSecurity { return state.accessGranted ? nil : 0x6982 }
        if id == .dataGroup(3) || id == .dataGroup(4) { return 0x6982 }
        if case .dataGroup(let n) = id, card.faults.deniedDataGroups.contains(n) { return 0x6982 }
        if case .dataGroup(let n) = id, card.faults.failingDataGroups.contains(n) { return 0x6F00 }
        return state.accessGranted ? nil : 0x6982
    }

    /// The file of the current DF (MF or eMRTD application) that `matches`, if the card has it.
    private func lookup(_ matches: (LDSFileID) -> Bool) -> LDSFileID? {
        let candidates: [LDSFileID] = state.applicationSelected ? [.com, .sod] + LDSFileID.allDataGroups : [.cardAccess, .cardSecurity]
        return candidates.first { matches($0) && card.files[$0] != nil }
    }

    private func select(_ c: CommandAPDU) -> ResponseAPDU {
        switch c.p1 {
        case 0x04:
            guard c.data == ReadSession.applicationID else { return status(0x6A82) }
            state.applicationSelected = true
            state.currentEF = nil
            return status(0x9000)
        case 0x00 where c.data.isEmpty || c.data == [0x3F, 0x00]:
            if card.profile.selectMFUnsupported { return status(0x6D00) }
            state.applicationSelected = false
            state.currentEF = nil
            return status(0x9000)
        case 0x00, 0x02:
            guard c.data.count == 2 else { return status(0x6A87) }
            let fid = UInt16(c.data[0]) << 8 | UInt16(c.data[1])
            if fid == LDSFileID.cardAccess.fid {  // EF.CardAccess is reachable from anywhere on these chips
                state.currentEF = .cardAccess
                return status(0x9000)
            }
            guard let id = lookup({ $0.fid == fid }) else { return status(0x6A82) }
            if let deny = accessStatus(id) { return status(deny) }
            state.currentEF = id
            return status(0x9000)
        default:
            return status(0x6A86)
        }
    }

    private func readBinary(_ c: CommandAPDU) -> ResponseAPDU {
        var id: LDSFileID
        var offset: Int
        if c.p1 & 0x80 != 0 {
            let sfi = c.p1 & 0x1F
            if sfi == LDSFileID.cardAccess.sfi && !state.applicationSelected { id = .cardAccess } else {
                guard let f = lookup({ $0.sfi == sfi }) else { return status(0x6A82) }
                id = f
            }
            offset = Int(c.p2)
        } else {
            guard let cur = state.currentEF else { return status(0x6986) }
            id = cur
            offset = Int(c.p1) << 8 | Int(c.p2)
        }
        if let deny = accessStatus(id) { return status(deny) }
        state.currentEF = id
        return read(id, offset: offset, ne: c.ne)
    }

    private func read(_ id: LDSFileID, offset: Int, ne: Int?) -> ResponseAPDU {
        guard let ne else { return status(0x6700) }
        if ne > 256 && !card.profile.extendedLength { return status(0x6700) }
        guard let f = file(id) else { return status(0x6A82) }
        guard offset <= f.count else { return status(0x6B00) }
        if let limit = card.faults.maxReadLe, ne > limit { return status(0x6700) }
        if card.faults.exactReadLe == true {
            let exact = min(256, f.count - offset)
            if ne != exact { return status(0x6C00 | UInt16(exact & 0xFF)) }
        }
        let end = min(f.count, offset + ne)
        return status(end - offset < ne ? 0x6282 : 0x9000, Array(f[offset..<end]))
    }

    private func readBinaryOdd(_ c: CommandAPDU) -> ResponseAPDU {
        guard let tlv = try? TLV.parse(c.data), tlv.tag == 0x54, (1...3).contains(tlv.value.count) else { return status(0x6A80) }
        let offset = tlv.value.reduce(0) { $0 << 8 | Int($1) }
        var id: LDSFileID
        if c.p1 == 0 && c.p2 == 0 {
            guard let cur = state.currentEF else { return status(0x6986) }
            id = cur
        } else {
            guard let f = lookup({ $0.fid == UInt16(c.p1) << 8 | UInt16(c.p2) }) else { return status(0x6A82) }
            id = f
        }
        if let deny = accessStatus(id) { return status(deny) }
        guard let ne = c.ne else { return status(0x6700) }
        if ne > 256 && !card.profile.extendedLength { return status(0x6700) }
        // The response is DO53 around the data; fit it within Ne.
        var n = ne - 2
        if n > 127 { n -= 1 }
        if n > 255 { n -= 1 }
        if n > 65535 { n -= 1 }
        let r = read(id, offset: offset, ne: max(1, n))
        guard r.status == .success || r.status == .endOfFile else { return r }
        state.currentEF = id
        return ResponseAPDU(data: TLV(tag: 0x53, value: r.data).encoded, status: r.status)
    }

    private func getChallenge(_ c: CommandAPDU) -> ResponseAPDU {
        guard c.data.isEmpty, let ne = c.ne, ne == 8 else { return status(0x6700) }
        let ch = random.bytes(8)
        state.challenge = ch
        return status(0x9000, ch)
    }

    // MARK: - BAC

    private func externalAuthenticate(_ c: CommandAPDU) -> ResponseAPDU {
        guard card.profile.bac else { return status(0x6D00) }
        guard let rndIC = state.challenge else { return status(0x6985) }
        state.challenge = nil
        guard c.data.count == 40 else { return status(0x6700) }
        guard let (kenc, kmac) = try? BAC.keys(for: card.mrzKey) else { return status(0x6F00) }
        let eIFD = Array(c.data[0..<32]), mIFD = Array(c.data[32..<40])
        guard let mac = try? TripleDES.retailMAC(key: kmac, ISO9797Padding.pad(eIFD, blockSize: 8)), mac == mIFD,
              let s = try? TripleDES.decryptCBC(key: kenc, eIFD), Array(s[8..<16]) == rndIC else {
            return status(0x6300)
        }
        let rndIFD = Array(s[0..<8]), kIFD = Array(s[16..<32])
        let kIC = random.bytes(16)
        let r = rndIC + rndIFD + kIC
        guard let eIC = try? TripleDES.encryptCBC(key: kenc, r),
              let mIC = try? TripleDES.retailMAC(key: kmac, ISO9797Padding.pad(eIC, blockSize: 8)) else { return status(0x6F00) }
        let seed = zip(kIFD, kIC).map { $0 ^ $1 }
        let (ksenc, ksmac) = KeyDerivation.sessionKeys(seed, cipher: .tripleDES)
        state.startKeys = SMKeys(cipher: .tripleDES, enc: ksenc, mac: ksmac, ssc: Array(rndIC[4..<8]) + Array(rndIFD[4..<8]))
        return status(0x9000, eIC + mIC)
    }

    // MARK: - PACE and Chip Authentication

    private func manageSecurityEnvironment(_ c: CommandAPDU, protected: Bool) -> ResponseAPDU {
        guard let objects = try? TLV.parseAll(c.data) else { return status(0x6A80) }
        func value(_ t: TLVTag) -> [UInt8]? { objects.first { $0.tag == t }?.value }
        switch (c.p1, c.p2) {
        case (0xC1, 0xA4):  // PACE
            guard let oidBytes = value(0x80), let ref = value(0x83), ref.count == 1 else { return status(0x6A80) }
            let paramID = value(0x84).map { $0.reduce(0) { $0 << 8 | Int($1) } }
            guard let info = card.paceInfos.first(where: { PACE.oidContent($0.protocolOID) == oidBytes && (paramID == nil || $0.parameterID == paramID) }),
                  let proto = info.paceProtocol, let id = info.parameterID,
                  let domain = DomainParameters.standardized(id)
                      ?? card.cardAccess.paceDomainParameterInfos.first(where: { $0.parameterID == id })?.domainParameters else {
                return status(0x6A80)
            }
            let password: [UInt8]
            switch ref[0] {
            case 1: password = card.mrzKey.pacePassword
            case 2: password = AccessKey.can(card.can).pacePassword
            default: return status(0x6A88)
            }
            dropSession()
            state.pace = ChipPACE(proto: proto, domain: domain, password: password,
                                  camStaticKey: proto.mapping == .chipAuthentication ? card.chipAuthenticationKey : nil)
            return status(0x9000)
        case (0x41, 0xA4):  // Chip Authentication (AES): protocol, optional key ID
            guard protected, state.accessGranted, let oid = value(0x80),
                  let info = card.cardAccess.chipAuthenticationInfos.first(where: { PACE.oidContent($0.protocolOID) == oid }),
                  let proto = info.caProtocol else { return status(0x6A80) }
            state.caProtocol = proto
            return status(0x9000)
        case (0x41, 0xA6):  // Chip Authentication with 3DES: MSE:Set KAT carries the key
            guard protected, state.accessGranted, let pk = value(0x91) else { return status(0x6A80) }
            return chipAuthenticate(pk, cipher: .tripleDES, response: [])
        default:
            return status(0x6A86)
        }
    }

    private func generalAuthenticate(_ c: CommandAPDU, protected: Bool) -> ResponseAPDU {
        guard let outer = try? TLV.parse(c.data), outer.tag == 0x7C, let objects = try? outer.children() else { return status(0x6A80) }
        if var pace = state.pace, !protected {
            do {
                let content = try pace.next(objects, random: random)
                if pace.step == .done, let keys = pace.keys {
                    state.startKeys = SMKeys(cipher: pace.proto.cipher, enc: keys.enc, mac: keys.mac)
                    state.pace = nil
                } else {
                    state.pace = pace
                }
                return status(0x9000, TLV(tag: 0x7C, value: content).encoded)
            } catch ChipPACE.Failure.wrongPassword {
                state.pace = nil
                return status(0x6300)
            } catch {
                state.pace = nil
                return status(0x6A80)
            }
        }
        if let proto = state.caProtocol, protected {
            state.caProtocol = nil
            guard let pk = objects.first(where: { $0.tag == 0x80 })?.value else { return status(0x6A80) }
            return chipAuthenticate(pk, cipher: proto.cipher, response: TLV(tag: 0x7C, value: []).encoded)
        }
        return status(0x6985)
    }

    /// ECDH with the chip's static CA key; the answer goes out under the old keys, then SM restarts
    /// with the new ones (SSC = 0).
    private func chipAuthenticate(_ terminalKey: [UInt8], cipher: SMCipher, response: [UInt8]) -> ResponseAPDU {
        let shared: [UInt8]
        if let (group, x) = card.chipAuthenticationDH {
            guard let s = try? group.sharedSecret(privateKey: x, peer: terminalKey) else { return status(0x6A80) }
            shared = s
        } else {
            let key = card.chipAuthenticationKey
            guard let peer = try? key.group.point(uncompressed: terminalKey),
                  let s = try? key.group.sharedSecret(privateKey: key.scalar, peer: peer) else { return status(0x6A80) }
            shared = s
        }
        let (enc, mac) = KeyDerivation.sessionKeys(shared, cipher: cipher)
        state.pendingKeys = SMKeys(cipher: cipher, enc: enc, mac: mac)
        return status(0x9000, response)
    }

    // MARK: - Active Authentication

    private func internalAuthenticate(_ c: CommandAPDU) -> ResponseAPDU {
        guard state.accessGranted else { return status(0x6982) }
        guard c.data.count == 8 else { return status(0x6700) }
        switch card.activeAuthenticationKey {
        case .rsa(let k):
            // ISO/IEC 9796-2 digital signature scheme 1, SHA-1, trailer BC, partial recovery.
            let size = k.publicKey.modulus.count
            let m1 = random.bytes(size - 20 - 2)
            let h = HashAlgorithm.sha1.hash(m1 + c.data)
            let f: [UInt8] = [0x6A] + m1 + h + [0xBC]
            guard let s = try? k.rawPrivate(f) else { return status(0x6F00) }
            return status(0x9000, s)
        case .ec(let k):
            guard let sig = try? k.signPlain(digest: HashAlgorithm.sha256.hash(c.data)) else { return status(0x6F00) }
            return status(0x9000, sig)
        }
    }
}
