@testable import CardSimulator
import ISO7816
import MRTD
import MRTDCrypto
import Testing

func h(_ s: String) -> [UInt8] { [UInt8](hex: s)! }

/// The chip side of PACE, checked against ICAO 9303-11 Appendix G on its own.
struct ChipPACETests {
    @Test func chipReproducesAppendixG1() throws {
        let proto = try #require(PACEProtocol(oid: OID.paceECDHGM + ".2"))
        let key = AccessKey.mrz(documentNumber: "T22000129", dateOfBirth: "640812", dateOfExpiry: "101031")
        var chip = ChipPACE(proto: proto, domain: DomainParameters.standardized(13)!, password: key.pacePassword)
        let random = FixedRandom([h("3F00C4D39D153F2B2A214A078D899B22"),
                                  h("498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560"),
                                  h("107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A")])
        let r1 = try chip.next([], random: random)
        #expect(r1 == h("801095A3A016522EE98D01E76CB6B98B42C3"))
        let r2 = try chip.next([TLV(tag: 0x81, value: h("04" + "7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"))], random: random)
        #expect(r2 == h("824104" + "824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"))
        let r3 = try chip.next([TLV(tag: 0x83, value: h("04" + "2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"))], random: random)
        #expect(r3 == h("844104" + "9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"))
        #expect(chip.keys?.enc == h("F5F0E35C0D7161EE6724EE513A0D9A7F"))
        let r4 = try chip.next([TLV(tag: 0x85, value: h("C2B0BD78D94BA866"))], random: random)
        #expect(r4 == h("86083ABB9674BCE93C08"))
    }

    @Test func chipRejectsAWrongToken() throws {
        // A token that is not the MAC of the chip's key: what a wrong password produces.
        let proto = try #require(PACEProtocol(oid: OID.paceECDHGM + ".2"))
        var chip = ChipPACE(proto: proto, domain: DomainParameters.standardized(13)!, password: Array("123456".utf8))
        let random = FixedRandom([h("3F00C4D39D153F2B2A214A078D899B22"),
                                  h("498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560"),
                                  h("107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A")])
        _ = try chip.next([], random: random)
        _ = try chip.next([TLV(tag: 0x81, value: h("04" + "7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"))], random: random)
        _ = try chip.next([TLV(tag: 0x83, value: h("04" + "2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"))], random: random)
        #expect(throws: ChipPACE.Failure.self) { try chip.next([TLV(tag: 0x85, value: h("C2B0BD78D94BA867"))], random: random) }
    }
}

/// The chip side of Integrated Mapping against Appendix H: same mapped generator.
struct ChipIntegratedMappingTests {
    @Test func chipMapsToTheExampleGenerator() throws {
        let proto = try #require(PACEProtocol(oid: OID.paceECDHIM + ".2"))
        var chip = ChipPACE(proto: proto, domain: DomainParameters.standardized(13)!, password: Array("123456".utf8))
        let random = FixedRandom([h("2923BE84E16CD6AE529049F1F1BBE9EB")])
        #expect(try chip.next([], random: random) == h("8010143DC40C08C8E891FBED7DEDB92B64AD"))
        #expect(try chip.next([TLV(tag: 0x81, value: h("5DD4CBFC96F5453B130D890A1CDBAE32"))], random: random) == [])
        #expect(chip.mappedEC?.generator.x == h("8E82D31559ED0FDE92A4D0498ADD3C23BABA94FB77691E31E90AEA77FB17D427"))
    }

    @Test func readingAnIntegratedMappingCard() async throws {
        for id in [13, 0] {
            var profile = CardProfile.sample
            profile.paceMapping = "IM"
            profile.paceParameterIDs = [id]
            profile.faceSize = 1_000
            let chip = try SimulatedChip(profile: profile)
            let (readout, _) = try await ReadSession(channel: InProcessChannel(card: chip), key: .can("012345")).read()
            guard case .pace(let o) = readout.access else { Issue.record("not PACE"); continue }
            #expect(o.selection.paceProtocol.mapping == .integrated)
            #expect(readout.files[.dataGroup(13)] == chip.card.files[.dataGroup(13)])
        }
    }
}
