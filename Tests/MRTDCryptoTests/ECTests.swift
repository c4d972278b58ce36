import MRTDCrypto
import Testing

struct ECTests {
    // ICAO 9303-11 Appendix G.1: mapping and key agreement on brainpoolP256r1.
    @Test func genericMappingValuesOfAppendixG1() throws {
        let group = try ECGroup(.brainpoolP256r1)
        #expect(group.fieldSize == 32)
        let skMap = h("7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99")
        let pkMap = try group.multiplyGenerator(by: skMap)
        #expect(pkMap.x == h("7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"))
        #expect(pkMap.y == h("544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"))
        let pkPICCMap = ECPoint(x: h("824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"),
                                y: h("30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"))
        let hPoint = try group.multiply(pkPICCMap, by: skMap)
        #expect(hPoint.x == h("60332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"))
        let s = h("3F00C4D39D153F2B2A214A078D899B22")
        let mapped = try group.add(try group.multiplyGenerator(by: s), hPoint)
        #expect(mapped.x == h("8CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"))
        #expect(mapped.y == h("8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522"))
        let mappedGroup = try group.withGenerator(mapped)
        let skPCD = h("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595")
        let pkPCD = try mappedGroup.multiplyGenerator(by: skPCD)
        #expect(pkPCD.x == h("2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"))
        let pkPICC = try mappedGroup.point(uncompressed: [4] + h("9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB") + h("7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"))
        #expect(try mappedGroup.sharedSecret(privateKey: skPCD, peer: pkPICC) == h("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"))
    }

    @Test func explicitParametersRoundTripAndAreRecognised() throws {
        for curve in NamedCurve.allCases {
            let named = try ECGroup(curve)
            let explicit = try ECGroup(explicit: named.parameters)
            #expect(explicit.namedCurve == curve)
            #expect(explicit.parameters == named.parameters)
            let k = try named.randomPrivateKey()
            #expect(try explicit.multiplyGenerator(by: k) == named.multiplyGenerator(by: k))
            #expect(named.generator.x.count == named.fieldSize)
        }
    }

    @Test func invalidPointsAreRejected() throws {
        let group = try ECGroup(.p256)
        var g = group.generator
        g = ECPoint(x: g.x, y: g.y.map { $0 ^ 1 })
        #expect(throws: CryptoError.self) { try group.validate(g) }
        #expect(throws: CryptoError.self) { try group.point(uncompressed: [4, 1, 2]) }
        #expect(throws: CryptoError.self) { try group.multiply(g, by: [1]) }
        var bad = group.parameters
        bad.generator = g
        #expect(throws: CryptoError.self) { try ECGroup(explicit: bad) }
    }

    @Test func ecdhAgreesOnEveryCurve() throws {
        for curve in NamedCurve.allCases {
            let g = try ECGroup(curve)
            let a = try g.randomPrivateKey(), b = try g.randomPrivateKey()
            let A = try g.multiplyGenerator(by: a), B = try g.multiplyGenerator(by: b)
            let s1 = try g.sharedSecret(privateKey: a, peer: B), s2 = try g.sharedSecret(privateKey: b, peer: A)
            #expect(s1 == s2)
            #expect(s1.count == g.fieldSize)
        }
    }

    @Test func dhGroupsAndAgreement() throws {
        let g = DHGroup(.group1024_160)
        #expect(g.p.count == 128)
        #expect(g.q.count == 20)
        let a = try g.randomPrivateKey(), b = try g.randomPrivateKey()
        let A = try g.publicKey(privateKey: a), B = try g.publicKey(privateKey: b)
        #expect(try g.sharedSecret(privateKey: a, peer: B) == g.sharedSecret(privateKey: b, peer: A))
        #expect(throws: CryptoError.self) { try g.validate([1]) }
        #expect(throws: CryptoError.self) { try g.validate(g.p) }
        #expect(DHGroup(.group2048_224).q.count == 28)
        #expect(DHGroup(.group2048_256).q.count == 32)
    }
}
