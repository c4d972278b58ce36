import ISO7816
import MRTD
import MRTDCrypto
import Testing

/// ICAO 9303-11 Appendix G and the BSI EAC worked example, byte for byte, reader side.
struct PACETests {
    static let g1Key = AccessKey.mrz(documentNumber: "T22000129", dateOfBirth: "640812", dateOfExpiry: "101031")

    static let g1PKPICCMap = "824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57" + "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"
    static let g1PKPCDMap = "7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E" + "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
    static let g1PKPCD = "2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C" + "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
    static let g1PKPICC = "9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB" + "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"

    static func g1Transcript() throws -> TranscriptChannel {
        try TranscriptChannel(hexPairs: [
            ("0022C1A412800A04007F00070202040202830101 84010D", "9000"),
            ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
            ("10860000457C43814104" + g1PKPCDMap + "00", "7C43824104" + g1PKPICCMap + "9000"),
            ("10860000457C43834104" + g1PKPCD + "00", "7C43844104" + g1PKPICC + "9000"),
            ("008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C089000"),
        ], limits: .short)
    }

    @Test func passwordKeyOfAppendixG1() {
        #expect(Self.g1Key.pacePassword == h("7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"))
        #expect(KeyDerivation.derive(Self.g1Key.pacePassword, counter: 3, cipher: .aes128) == h("89DED1B26624EC1E634C1989302849DD"))
    }

    @Test func selectionOfTheVietnameseCardAccess() throws {
        let infos = try SecurityInfos(der: h("3134300D060804007F0007020202020101300F060A04007F00070202030202020101301206 0A04007F0007020204020202010202010D"))
        #expect(infos.infos.count == 3)
        #expect(infos.supportsTerminalAuthentication)
        #expect(infos.chipAuthenticationInfos.first?.caProtocol?.cipher == .aes128)
        let s = try PACE.select(from: infos)
        #expect(s.info.parameterID == 13)
        #expect(s.paceProtocol.description == "PACE-ECDH-GM-AES-128")
        if case .ec(_, let named) = s.domain { #expect(named == .brainpoolP256r1) } else { Issue.record("not EC") }
        #expect(infos.der == SecurityInfos(infos.infos).der)
    }

    @Test func selectionPrefersTheStrongestOfferDeterministically() throws {
        let infos = SecurityInfos([
            .pace(PACEInfo(protocolOID: OID.paceDHGM + ".2", parameterID: 2)),
            .pace(PACEInfo(protocolOID: OID.paceECDHGM + ".2", parameterID: 12)),
            .pace(PACEInfo(protocolOID: OID.paceECDHGM + ".4", parameterID: 13)),
            .pace(PACEInfo(protocolOID: OID.paceECDHGM + ".4", parameterID: 17)),
            .pace(PACEInfo(protocolOID: OID.paceECDHIM + ".4", parameterID: 17)),
        ])
        let s = try PACE.select(from: infos)
        #expect(s.info.parameterID == 17)
        #expect(s.paceProtocol.cipher == .aes256)
        #expect(s.paceProtocol.mapping == .generic)
        #expect(throws: MRTDError.self) { try PACE.select(from: SecurityInfos([])) }
    }

    @Test func appendixG1TranscriptByteExact() async throws {
        let card = try Self.g1Transcript()
        let infos = try SecurityInfos(der: h("3114") + h("3012060A04007F0007020204020202010202010D"))
        let selection = try PACE.select(from: infos)
        let random = FixedRandom([h("7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"),
                                  h("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595")])
        let (sm, outcome) = try await PACE.establish(over: card, key: Self.g1Key, selection: selection, random: random)
        #expect(card.isComplete)
        #expect(sm.cipher == .aes128)
        #expect(outcome.chipEphemeralPublicKey == [4] + h(Self.g1PKPICC))
        // Session keys of the example.
        let pkdo = PACE.publicKeyDataObject(selection.paceProtocol, selection.domain, [4] + h(Self.g1PKPICC))
        #expect(pkdo == h("7F494F060A04007F000702020402028641049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"))
        #expect(try PACE.token(h("FE251C7858B356B24514B3BD5F4297D1"), .aes128, pkdo) == h("C2B0BD78D94BA866"))
        #expect(KeyDerivation.sessionKeys(h("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"), cipher: .aes128)
            == (h("F5F0E35C0D7161EE6724EE513A0D9A7F"), h("FE251C7858B356B24514B3BD5F4297D1")))
    }

    static let g2MapPCD = "23FB3749EA030D2A25B278D2A562047ADE3F01B74F17A15402CB7352CA7D2B3EB71C343DB13D1DEBCE9A3666DBCFC920B49174A602CB47965CAA73DC702489A44D41DB914DE9613DC5E98C94160551C0DF86274B9359BC0490D01B03AD54022DCB4F57FAD6322497D7A1E28D46710F461AFE710FBBBC5F8BA166F4311975EC6C"
    static let g2MapPICC = "78879F57225AA8080D52ED0FC890A4B25336F699AA89A2D3A189654AF70729E623EA5738B26381E4DA19E004706FACE7B235C2DBF2F38748312F3C98C2DD4882A41947B324AA1259AC22579DB93F7085655AF30889DBB845D9E6783FE42C9F2449400306254C8AE8EE9DD812A804C0B66E8CAFC14F84D8258950A91B44126EE6"
    static let g2PCD = "907D89E2D425A178AA81AF4A7774EC8E388C115CAE67031E85EECE520BD911551B9AE4D04369F29A02626C86FBC6747CC7BC352645B6161A2A42D44EDA80A08FA8D61B76D3A154AD8A5A51786B0BC07147057871A922212C5F67F43173172236B7747D1671E6D692A3C7D40A0C3C5CE397545D015C175EB5130551EDBC2EE5D4"
    static let g2PICC = "075693D9AE941877573E634B6E644F8E60AF17A0076B8B123D9201074D36152BD8B3A213F53820C42ADC79AB5D0AEEC3AEFB91394DA476BD97B9B14D0A65C1FC71A0E019CB08AF55E1F729005FBA7E3FA5DC41899238A250767A6D46DB974064386CD456743585F8E5D90CC8B4004B1F6D866C79CE0584E49687FF61BC29AEA1"

    /// Appendix G.2 (DH, RFC 5114 1024-bit group). The example's MSE:Set AT omits the parameter ID;
    /// this toolkit always sends it (84 01 00), otherwise every byte is the example's.
    @Test func appendixG2TranscriptByteExact() async throws {
        let card = try TranscriptChannel(hexPairs: [
            ("0022C1A412800A04007F00070202040102830101840100", "9000"),
            ("10860000027C0000", "7C128010854D8DF5827FA6852D1A4FA701CDDDCA9000"),
            ("10860000867C8183818180" + Self.g2MapPCD + "00", "7C8183828180" + Self.g2MapPICC + "9000"),
            ("10860000867C8183838180" + Self.g2PCD + "00", "7C8183848180" + Self.g2PICC + "9000"),
            ("008600000C7C0A8508B46DD9BD4D98381F00", "7C1B8608917F37B5C0E6D8D1870F4445544553544356434130303030339000"),
        ], limits: .short)
        let infos = try SecurityInfos(der: h("31143012060A04007F00070202040102020102020100"))
        let selection = try PACE.select(from: infos)
        let random = FixedRandom([h("5265030F751F4AD18B08AC565FC7AC952E41618D"), h("89CCD99B0E8D3B1F11E1296DCA68EC53411CF2CA")])
        let (sm, outcome) = try await PACE.establish(over: card, key: Self.g1Key, selection: selection, random: random)
        #expect(card.isComplete)
        #expect(sm.cipher == .aes128)
        #expect(outcome.certificationAuthorityReferences == ["DETESTCVCA00003"])
        #expect(KeyDerivation.sessionKeys(h("6BABC7B3A72BCD7EA385E4C62DB2625BD8613B24149E146A629311C4CA6698E38B834B6A9E9CD7184BA8834AFF5043D436950C4C1E7832367C10CB8C314D40E5990B0DF7013E64B4549E2270923D06F08CFF6BD3E977DDE6ABE4C31D55C0FA2E465E553E77BDF75E3193D3834FC26E8EB1EE2FA1E4FC97C18C3F6CFFFE2607FD"), cipher: .aes128)
            == (h("2F7F46ADCC9E7E521B45D192FAFA9126"), h("805A1D27D45A5116F73C54469462B7D8")))
    }

    /// BSI TR-03110 worked example (PACE-ECDH-GM, brainpoolP256r1, AES-128, PIN 123456).
    @Test func bsiWorkedExampleKeys() throws {
        let kpi = KeyDerivation.derive(AccessKey.pin("123456").pacePassword, counter: 3, cipher: .aes128)
        #expect(kpi == h("591468CDA83D65219CCCB8560233600F"))
        #expect(try AESCipher.decryptCBC(key: kpi, h("CE834CDE69FFBB1D1EB21585CD709F18")) == h("7D98C00FC6C9E9543BBF94A87073A123"))
        let (enc, mac) = KeyDerivation.sessionKeys(h("6E7D077CCD367C2EAA683F1E8EC534302E2D00B6ADAF8A87A6EDA78740F17606"), cipher: .aes128)
        #expect(enc == h("68406B4162100563D9C901A6154D2901"))
        #expect(mac == h("73FF268784F72AF833FDC9464049AFC9"))
    }

    /// The BSI worked example as an APDU transcript (PIN 123456). The example's MSE:Set AT also
    /// carries a CHAT for Terminal Authentication, which this reader does not send; the rest is
    /// the example byte for byte.
    @Test func bsiWorkedExampleTranscriptByteExact() async throws {
        let pkMap = "3DD29BBE5907FD21A152ADA4895FAAE7ACC55F5E50EFBFDE5AB0C6EB54F198D615913635F0FDF5BEB383E00355F82D3C41ED0DF2E28363433DFB73856A15DC9F"
        let chipMap = "9CFCF7582AC986D0DD52FA53123414C3E1B96B4D00ABA8E574679B70EFB5BC3B45D2F13729CC2AE178E7E241B443213533B77DBB44649A815DDC4A2384BA422A"
        let pkPCD = "518BC4E532AD2A9BD6527804D5D665ABD51041037A0CC8AA922804EB501C222B3427388599AFAAE9FBACE2DF93E13C3C4979CD12F0AE3E3C0126028391554582"
        let pkPICC = "282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD6804DF3658B835AC2E7133F13691184542BB50B109963A4662ABDC08B9763AF4B5B"
        let card = try TranscriptChannel(hexPairs: [
            ("0022C1A412800A04007F0007020204020283010384010D", "9000"),
            ("10860000027C0000", "7C128010CE834CDE69FFBB1D1EB21585CD709F189000"),
            ("10860000457C43814104" + pkMap + "00", "7C43824104" + chipMap + "9000"),
            ("10860000457C43834104" + pkPCD + "00", "7C43844104" + pkPICC + "9000"),
            ("008600000C7C0A8508A27AE7B36573C1D900", "7C0A8608A2658C2F38600B0F9000"),
        ], limits: .short)
        let infos = SecurityInfos([.pace(PACEInfo(protocolOID: OID.paceECDHGM + ".2", parameterID: 13))])
        let random = FixedRandom([h("752287F5B02DE3C4BC3E17945118C51B23C97278E4CD748048AC56BA5BDC3D46"),
                                  h("9D9A32DF93A57CCE33CA3CDD3457E33A976F293546C73550F397259C93BE0120")])
        let (sm, _) = try await PACE.establish(over: card, key: .pin("123456"), selection: try PACE.select(from: infos), random: random)
        #expect(card.isComplete)
        #expect(sm.cipher == .aes128)
    }

    @Test func wrongPasswordIsAccessDeniedAfterOneAttempt() async throws {
        // A card that runs steps 1–3 of G.1 but refuses the token: what a wrong CAN looks like.
        let card = try TranscriptChannel(hexPairs: [
            ("0022C1A412800A04007F00070202040202830102 84010D", "9000"),
            ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
        ], limits: .short)
        struct Rest: CardChannel {
            let first: TranscriptChannel
            var limits: TransportLimits { .short }
            func transmit(_ c: CommandAPDU) async throws -> ResponseAPDU {
                if !first.isComplete { return try await first.transmit(c) }
                if c.data.count > 10, c.data[2] == 0x81 { return try ResponseAPDU(bytes: h("7C43824104" + PACETests.g1PKPICCMap + "9000")) }
                if c.data.count > 10, c.data[2] == 0x83 { return try ResponseAPDU(bytes: h("7C43844104" + PACETests.g1PKPICC + "9000")) }
                return ResponseAPDU(status: StatusWord(0x63C2))
            }
        }
        let infos = try SecurityInfos(der: h("3114") + h("3012060A04007F0007020204020202010202010D"))
        let random = FixedRandom([h("7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"),
                                  h("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595")])
        await #expect(throws: MRTDError.accessDenied(method: "CAN (PACE)", status: StatusWord(0x63C2))) {
            _ = try await PACE.establish(over: Rest(first: card), key: .can("999999"), selection: try PACE.select(from: infos), random: random)
        }
    }
}
