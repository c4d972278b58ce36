import MRTDCrypto
import Testing

/// Explicit domain parameters a card might send: sound ones pass, weak or fake ones are refused
/// with a one-line reason (issue 9 §6).
struct DomainParameterCheckTests {
    /// The next probable prime above `start` (a test helper; OpenSSL decides primality).
    static func nextPrime(after start: [UInt8]) throws -> [UInt8] {
        var c = try ModularArithmetic.add(start, [1])
        while !ModularArithmetic.isProbablePrime(c) { c = try ModularArithmetic.add(c, [1]) }
        return c
    }

    static func expectWeak(_ reason: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("accepted; expected: \(reason)")
        } catch let e as CryptoError {
            #expect(e.kind == .weakParameters)
            #expect(e.detail.contains(reason), "\(e.detail)")
            #expect(!e.detail.contains("\n"))
        } catch {
            Issue.record("untyped \(error)")
        }
    }

    @Test(arguments: [NamedCurve.p224, .p256, .p384, .p521, .brainpoolP224r1, .brainpoolP256r1, .brainpoolP320r1, .brainpoolP384r1, .brainpoolP512r1])
    func namedCurvesGivenExplicitlyPass(curve: NamedCurve) throws {
        try ECGroup(curve).parameters.check()
    }

    @Test(arguments: [NamedCurve.p192, .brainpoolP192r1])
    func a192BitCurveIsTooWeak(curve: NamedCurve) throws {
        let params = try ECGroup(curve).parameters
        Self.expectWeak("below 224") { try params.check() }
    }

    @Test func aCompositeFieldModulusIsRefused() throws {
        var params = try ECGroup(.brainpoolP256r1).parameters
        params.p = [UInt8](repeating: 0xFF, count: 32)  // 2^256 − 1 = 3 · 5 · 17 · …
        Self.expectWeak("p is not prime") { try params.check() }
    }

    @Test func aCompositeOrderIsRefused() throws {
        var params = try ECGroup(.brainpoolP256r1).parameters
        params.order = try ModularArithmetic.add(params.order, [1])  // n + 1 is even
        Self.expectWeak("n is not prime") { try params.check() }
    }

    @Test func aGeneratorOfAnotherOrderIsRefused() throws {
        // A prime n' next to the real n passes the size, primality and Hasse checks; only n'·G
        // shows the generator does not have that order.
        var params = try ECGroup(.brainpoolP256r1).parameters
        params.order = try Self.nextPrime(after: params.order)
        Self.expectWeak("does not have order n") { try params.check() }
    }

    @Test func aSingularCurveIsRefused() throws {
        // y² = x³ over brainpoolP256r1's prime: a cusp, with G = (1, 1) on it.
        let base = try ECGroup(.brainpoolP256r1).parameters
        let width = base.p.count
        func be(_ v: UInt8) -> [UInt8] { [UInt8](repeating: 0, count: width - 1) + [v] }
        let order = try Self.nextPrime(after: try ModularArithmetic.add(base.p, [1]))
        let params = ECDomainParameters(p: base.p, a: be(0), b: be(0), generator: ECPoint(x: be(1), y: be(1)), order: order, cofactor: [1])
        Self.expectWeak("singular") { try params.check() }
    }

    @Test func anOrderOutsideTheHasseBoundIsRefused() throws {
        var params = try ECGroup(.brainpoolP256r1).parameters
        params.order = try ECGroup(.p256).order  // prime, 256 bits, far from brainpool's p + 1
        Self.expectWeak("Hasse") { try params.check() }
    }

    @Test func aLargeCofactorIsRefused() throws {
        var params = try ECGroup(.brainpoolP256r1).parameters
        params.cofactor = [0x10]
        Self.expectWeak("cofactor") { try params.check() }
    }

    @Test func anAnomalousCurveIsRefused() throws {
        var params = try ECGroup(.brainpoolP256r1).parameters
        params.order = params.p
        Self.expectWeak("anomalous") { try params.check() }
    }

    @Test(arguments: DHGroup.RFC5114.allCases)
    func standardDHGroupsPass(group: DHGroup.RFC5114) throws {
        try DHGroup(group).check()
    }

    @Test func aDHGroupWithACompositeQIsRefused() throws {
        var g = DHGroup(.group2048_224)
        g.q = try ModularArithmetic.add(g.q, g.q)  // 2q: still below p and of the right size
        Self.expectWeak("q is not prime") { try g.check() }
    }

    @Test func aDHGroupWithACompositeModulusIsRefused() throws {
        var g = DHGroup(.group1024_160)
        g.p = try ModularArithmetic.add(g.p, [2])
        Self.expectWeak("p is not prime") { try g.check() }
    }

    @Test func aDHGroupWhoseQDoesNotDivideP1IsRefused() throws {
        var g = DHGroup(.group1024_160)
        g.q = try Self.nextPrime(after: g.q)
        Self.expectWeak("does not divide") { try g.check() }
    }

    @Test func aDHGeneratorOfAnotherOrderIsRefused() throws {
        var g = DHGroup(.group2048_256)
        g.g = [2]
        Self.expectWeak("does not have order q") { try g.check() }
        g.g = try ModularArithmetic.subtract(g.p, [1])  // p − 1 has order 2
        Self.expectWeak("not in 2") { try g.check() }
    }

    @Test func aDHGroupWithoutQOrTooSmallIsRefused() throws {
        var g = DHGroup(.group1024_160)
        g.q = []
        Self.expectWeak("without a subgroup order") { try g.check() }
        let small = DHGroup(p: [0xFF, 0xFF, 0xFF, 0xFB], g: [2], q: [0x7F])
        Self.expectWeak("DH modulus of") { try small.check() }
    }
}
