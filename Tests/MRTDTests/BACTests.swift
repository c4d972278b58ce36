import ISO7816
import MRTD
import MRTDCrypto
import Testing

/// ICAO 9303-11 Appendix D, byte for byte.
struct BACTests {
    static let key = AccessKey.mrz(documentNumber: "L898902C", dateOfBirth: "690806", dateOfExpiry: "940623")

    @Test func keysOfAppendixD() throws {
        #expect(Self.key.bacKeySeed == h("239AB9CB282DAF66231DC5A4DF6BFBAE"))
        let (enc, mac) = try BAC.keys(for: Self.key)
        #expect(enc == h("AB94FDECF2674FDFB9B391F85D7F76F2"))
        #expect(mac == h("7962D9ECE03D1ACD4C76089DCE131543"))
    }

    static func transcript() throws -> TranscriptChannel {
        try TranscriptChannel(hexPairs: [
            ("0084000008", "4608F919887022129000"),
            ("0082000028" + "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" + "5F1448EEA8AD90A7" + "28",
             "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449" + "9000"),
            ("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "990290008E08FA855A5D4C50A8ED9000"),
            ("0CB000000D9701048E08ED6705417E96BA5500", "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"),
            ("0CB000040D9701128E082EA28A70F3C7B53500", "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"),
        ], limits: .short)
    }

    @Test func fullAppendixDTranscript() async throws {
        let card = try Self.transcript()
        let random = FixedRandom([h("781723860C06C226"), h("0B795240CB7049B01C19B33E32804F0B")])
        let sm = try await BAC.establish(over: card, key: Self.key, random: random)
        let select = try await sm.transmit(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [0x01, 0x1E]))
        #expect(select.status == .success)
        let first = try await sm.transmit(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 4))
        #expect(first.data == h("60145F01"))
        let rest = try await sm.transmit(CommandAPDU(ins: 0xB0, p1: 0, p2: 4, ne: 0x12))
        #expect(first.data + rest.data == h("60145F0104303130365F36063034303030305C026175"))
        #expect(card.isComplete)
    }

    @Test func wrongMRZIsAccessDeniedAfterOneAttempt() async throws {
        let card = try TranscriptChannel(hexPairs: [
            ("0084000008", "4608F919887022129000"),
        ], limits: .short)
        // The EXTERNAL AUTHENTICATE differs from the transcript for a wrong key: replace the
        // transcript with a card that refuses it.
        struct Refusing: CardChannel {
            let inner: TranscriptChannel
            var limits: TransportLimits { .short }
            func transmit(_ c: CommandAPDU) async throws -> ResponseAPDU {
                if c.ins == 0x82 { return ResponseAPDU(status: StatusWord(0x6300)) }
                return try await inner.transmit(c)
            }
        }
        let random = FixedRandom([h("781723860C06C226"), h("0B795240CB7049B01C19B33E32804F0B")])
        await #expect(throws: MRTDError.accessDenied(method: "MRZ (BAC)", status: StatusWord(0x6300))) {
            _ = try await BAC.establish(over: Refusing(inner: card), key: .mrz(documentNumber: "X", dateOfBirth: "000101", dateOfExpiry: "300101"), random: random)
        }
        #expect(card.consumed == 1)
    }

    @Test func aTamperedResponseMACClosesTheSession() async throws {
        let card = try TranscriptChannel(hexPairs: [
            ("0084000008", "4608F919887022129000"),
            ("0082000028" + "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" + "5F1448EEA8AD90A7" + "28",
             "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449" + "9000"),
            ("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "990290008E08FA855A5D4C50A8ED9100"),
        ], limits: .short)
        let tampered = try TranscriptChannel(hexPairs: [
            ("0084000008", "4608F919887022129000"),
            ("0082000028" + "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" + "5F1448EEA8AD90A7" + "28",
             "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449" + "9000"),
            ("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "990290008E08FA855A5D4C50A8EE9000"),
        ], limits: .short)
        _ = card
        let sm = try await BAC.establish(over: tampered, key: Self.key, random: FixedRandom([h("781723860C06C226"), h("0B795240CB7049B01C19B33E32804F0B")]))
        await #expect(throws: MRTDError.secureMessaging(.macMismatch)) {
            _ = try await sm.transmit(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [0x01, 0x1E]))
        }
        #expect(sm.isClosed)
        await #expect(throws: MRTDError.secureMessaging(.sessionClosed)) {
            _ = try await sm.transmit(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 4))
        }
    }
}

/// The chip side of the same exchanges, checked against the same published bytes.
struct ChipSideSecureMessagingTests {
    @Test func chipUnwrapsAndWrapsAppendixDExchanges() throws {
        var codec = SecureMessagingCodec(keys: SMKeys(cipher: .tripleDES, enc: h("979EC13B1CBFE9DCD01AB0FED307EAE5"),
                                                      mac: h("F1CB1F1FB5ADF208806B89DC579DC1F8"), ssc: h("887022120C06C226")))
        let cmd = try codec.unprotectCommand(try CommandAPDU(bytes: h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")))
        #expect(try cmd.encoded() == h("00A4020C02011E"))
        let resp = try codec.protectResponse(ResponseAPDU(status: .success))
        #expect(resp.bytes == h("990290008E08FA855A5D4C50A8ED9000"))
        let read = try codec.unprotectCommand(try CommandAPDU(bytes: h("0CB000000D9701048E08ED6705417E96BA5500")))
        #expect(read.ne == 4)
        let r2 = try codec.protectResponse(ResponseAPDU(data: h("60145F01"), status: .success))
        #expect(r2.bytes == h("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"))
    }

    @Test func plainErrorStatusWithoutMACIsAnSMError() throws {
        var codec = SecureMessagingCodec(keys: SMKeys(cipher: .aes128, enc: [UInt8](repeating: 1, count: 16), mac: [UInt8](repeating: 2, count: 16)))
        #expect(throws: SecureMessagingError.missingMAC(StatusWord(0x6988))) {
            try codec.unprotect(ResponseAPDU(status: StatusWord(0x6988)))
        }
    }

    @Test func garbledProtectedResponsesNeverCrash() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var codec = SecureMessagingCodec(keys: SMKeys(cipher: .aes128, enc: [UInt8](repeating: 1, count: 16), mac: [UInt8](repeating: 2, count: 16)))
            let n = Int.random(in: 0..<60, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(throws: (any Error).self) { try codec.unprotect(ResponseAPDU(data: bytes, status: .success)) }
        }
    }

    @Test func plaintextCapacity() {
        let aes = SecureMessagingCodec(keys: SMKeys(cipher: .aes128, enc: [], mac: []))
        let des = SecureMessagingCodec(keys: SMKeys(cipher: .tripleDES, enc: [], mac: []))
        #expect(aes.maxPlainResponse(fitting: 256) == 223)
        #expect(des.maxPlainResponse(fitting: 256) == 231)
        #expect(aes.maxPlainResponse(fitting: 65536) > 65000)
    }
}

/// AES secure messaging against the BSI worked example: the first protected command after PACE
/// (SSC 0 → 1) encrypts with IV = E(KSenc, 1).
struct AESSecureMessagingTests {
    @Test func protectedCommandMatchesTheBSIExample() throws {
        var codec = SecureMessagingCodec(keys: SMKeys(cipher: .aes128, enc: h("68406B4162100563D9C901A6154D2901"), mac: h("73FF268784F72AF833FDC9464049AFC9")))
        let p = try codec.protect(CommandAPDU(ins: 0x22, p1: 0x81, p2: 0xB6, data: h("830D44454356434141543030303031")), extended: false)
        let objects = try TLV.parseAll(p.data)
        #expect(objects[0].tag == 0x87)
        #expect(objects[0].value == [0x01] + h("BE90237EEB4BA0FF253EA246AE31C8B8"))
        // The chip side of the same codec state answers with SSC 2; its MAC over 99029000 is the example's.
        var chip = SecureMessagingCodec(keys: SMKeys(cipher: .aes128, enc: h("68406B4162100563D9C901A6154D2901"), mac: h("73FF268784F72AF833FDC9464049AFC9")))
        let cmd = try chip.unprotectCommand(p)
        #expect(cmd.data == h("830D44454356434141543030303031"))
        let r = try chip.protectResponse(ResponseAPDU(status: .success))
        #expect(r.data == h("990290008E08A89570A68664A7D6"))
        #expect(try codec.unprotect(r).status == .success)
    }
}
