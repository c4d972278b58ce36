import ISO7816
import MRTD
import MRTDCrypto
import Testing

/// ICAO 9303-11 worked examples for PACE Integrated Mapping (ECDH on brainpoolP256r1, and DH on the
/// RFC 5114 1024-bit group), AES-128.
struct IntegratedMappingTests {
    static let pkPCD = "89CBA23FFE96AA18D824627C3E934E54A9FD0B87A95D1471DC1C0ABFDCD640D46755DE9B7B778280B6BEBD57439ADFEB0E21FD4ED6DF42578C13418A59B34C37"
    static let pkPICC = "67F78E5F7F7686082B293E8D087E056916D0F74BC01A5F8957D0DE45691E51E8932B69A962B52A0985AD2C0A271EE6A13A8ADDDCD1A3A994B9DED257F4D22753"

    @Test func ecdhMappingValues() throws {
        let kpi = KeyDerivation.derive(AccessKey.can("123456").pacePassword, counter: 3, cipher: .aes128)
        #expect(kpi == h("591468CDA83D65219CCCB8560233600F"))
        let s = try AESCipher.decryptCBC(key: kpi, h("143DC40C08C8E891FBED7DEDB92B64AD"))
        #expect(s == h("2923BE84E16CD6AE529049F1F1BBE9EB"))
        let t = h("5DD4CBFC96F5453B130D890A1CDBAE32")
        let group = try ECGroup(.brainpoolP256r1)
        let r = try IntegratedMapping.pseudoRandom(s: s, t: t, primeBits: 256)
        #expect(r == h("E4447E2DFB3586BAC05DDB00156B57FBB2179A3949294C97254189800C517BAA8DA0FF397ED8C445D3E421E4FEB57322"))
        let rp = try ModularArithmetic.mod(r, group.parameters.p)
        #expect(rp == h("A2F8FF2DF50E52C6599F386ADCB595D229F6A167ADE2BE5F2C3296ADD5B7430E"))
        let g = try IntegratedMapping.encode(rp, on: group)
        #expect(g.x == h("8E82D31559ED0FDE92A4D0498ADD3C23BABA94FB77691E31E90AEA77FB17D427"))
        #expect(g.y == h("4C1AE14BD0C3DBAC0C871B7F3608169364437CA30AC243A089D3F266C1E60FAD"))
        let mapped = try IntegratedMapping.map(s: s, t: t, group: group)
        let pk = try mapped.multiplyGenerator(by: h("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595"))
        #expect(pk.uncompressed == [4] + h(Self.pkPCD))
    }

    @Test func ecdhTranscriptByteExact() async throws {
        let card = try TranscriptChannel(hexPairs: [
            ("0022C1A412800A04007F0007020204040283010284010D", "9000"),
            ("10860000027C0000", "7C128010143DC40C08C8E891FBED7DEDB92B64AD9000"),
            ("10860000147C1281105DD4CBFC96F5453B130D890A1CDBAE3200", "7C009000"),
            ("10860000457C43834104" + Self.pkPCD + "00", "7C43844104" + Self.pkPICC + "9000"),
            ("008600000C7C0A8508450F02B86F6A090900", "7C0A860875D4D96E8D5B03089000"),
        ], limits: .short)
        let infos = SecurityInfos([.pace(PACEInfo(protocolOID: OID.paceECDHIM + ".2", parameterID: 13))])
        let selection = try PACE.select(from: infos)
        #expect(selection.paceProtocol.mapping == .integrated)
        let random = FixedRandom([h("5DD4CBFC96F5453B130D890A1CDBAE32"), h("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595")])
        let (sm, _) = try await PACE.establish(over: card, key: .can("123456"), selection: selection, random: random)
        #expect(card.isComplete)
        #expect(sm.cipher == .aes128)
        #expect(KeyDerivation.sessionKeys(h("4F150FDE1D4F0E38E95017B891BAE17133A0DF45B0D3E18B60BA7BEAFDC2C713"), cipher: .aes128)
            == (h("0D3FEB33251A6370893D62AE8DAAF51B"), h("B01E89E3D9E8719E586B50B4A7506E0B")))
    }

    @Test func dhMappingKeyAgreementAndTokens() throws {
        let group = DHGroup(.group1024_160)
        let s = h("FA5B7E3E49753A0DB9178B7B9BD898C8"), t = h("B3A6DB3C870C3E99245E0D1C06B747DE")
        let r = try IntegratedMapping.pseudoRandom(s: s, t: t, primeBits: 1024)
        #expect(r.count == 144)
        #expect(Array(r.prefix(16)) == h("EAB98D13E09052952AA729907C3C9461"))
        #expect(Array(r.suffix(16)) == h("0FC187258995944C0F926E249373F485"))
        let mapped = try IntegratedMapping.map(s: s, t: t, group: group)
        #expect(mapped.g == h("1D7D767F11E333BCD6DBAEF40E799E7A926B96973550656FF3C830726D118D61C276CDCC61D475CF03A98E0C0E79CAEBA5BE25578BD4551D0B10903236F0B0F976852FA78EEA14EA0ACA87D1E91F688FE0DFF897BBE35A472621D343564B262F34223AE8FC59B664BFEDFA2BFE7516CA5510A6BBB633D517EC25D4E0BBAA16C2"))
        let terminal = h("4BD0E54740F9A028E6A515BFDAF967848C4F5F5FFF65AA0915947FFD1A0DF2FA6981271BC905F3551457B7E03AC3B8066DE4AA406C1171FB43DD939C4BA16175103BA3DEE16419AA248118F90CC36A3D6F4C373652E0C3CCE7F0F1D0C5425B3600F0F0D6A67F004C8BBA33F2B4733C7252445C1DFC4F1107203F71D2EFB28161")
        let chip = h("928D9A0F9DBA450F13FC859C6F290D1D36E42431138A4378500BEB4E0401854CFF111F71CB6DC1D0335807A11388CC8EAA87B07907AAD9FBA6B169AF6D8C26AF8DDDC39ADC3AD2E3FF882B84D23E9768E95A80E4746FB07A9767679FE92133B4D379935C771BD7FBED6C7BB4B1708B275EA75679524CDC9C6A91370CC662A2F3")
        let k = try ModularArithmetic.modExp(chip, terminal, group.p)
        #expect(Array(k.prefix(16)) == h("419410D6C0A17A4C07C54872CE1CBCEB"))
        let (enc, mac) = KeyDerivation.sessionKeys(k, cipher: .aes128)
        #expect(enc == h("01AFC10CF87BE36D8179E87370171F07"))
        #expect(mac == h("23F0FBD05FD6C7B8B88F4C8309669061"))
        let proto = try #require(PACEProtocol(oid: OID.paceDHIM + ".2"))
        #expect(try PACE.token(mac, .aes128, PACE.publicKeyDataObject(proto, .dh(group), chip)) == h("55D61977CBF5307E"))
        let terminalPublic = try mapped.publicKey(privateKey: terminal)
        #expect(try PACE.token(mac, .aes128, PACE.publicKeyDataObject(proto, .dh(group), terminalPublic)) == h("C2F04230187E1525"))
    }
}
