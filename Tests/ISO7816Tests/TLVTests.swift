import ISO7816
import Testing

struct TLVTests {
    @Test func parsesMultiByteTagsAndLongLengths() throws {
        let value = [UInt8](repeating: 0x41, count: 300)
        let encoded: [UInt8] = [0x5F, 0x1F, 0x82, 0x01, 0x2C] + value
        let tlv = try TLV.parse(encoded)
        #expect(tlv.tag == 0x5F1F)
        #expect(tlv.value == value)
        #expect(tlv.encoded == encoded)

        let threeByteTag = try TLV.parse([0x7F, 0xFF, 0x01, 0x01, 0xAA])
        #expect(threeByteTag.tag == 0x7FFF01)
        #expect(threeByteTag.value == [0xAA])
    }

    @Test func lengthEncodingIsMinimal() {
        #expect(TLV.encodeLength(0) == [0x00])
        #expect(TLV.encodeLength(127) == [0x7F])
        #expect(TLV.encodeLength(128) == [0x81, 0x80])
        #expect(TLV.encodeLength(255) == [0x81, 0xFF])
        #expect(TLV.encodeLength(256) == [0x82, 0x01, 0x00])
        #expect(TLV.encodeLength(65536) == [0x83, 0x01, 0x00, 0x00])
        #expect(TLV.encodeLength(16_777_216) == [0x84, 0x01, 0x00, 0x00, 0x00])
    }

    @Test func fourByteLengthsParse() throws {
        let h = try TLV.parseHeader([0x04, 0x84, 0x00, 0x01, 0x00, 0x00])
        #expect(h.valueLength == 65536)
        #expect(h.headerLength == 6)
    }

    @Test func constructedObjectsAndChildren() throws {
        let inner = [TLV(tag: 0x80, value: [1]), TLV(tag: 0x5F01, value: [2, 3])]
        let outer = TLV(tag: 0x7C, children: inner)
        #expect(outer.encoded == [0x7C, 0x08, 0x80, 0x01, 0x01, 0x5F, 0x01, 0x02, 0x02, 0x03])
        let parsed = try TLV.parse(outer.encoded)
        #expect(try parsed.children() == inner)
        #expect(try parsed.child(0x5F01)?.value == [2, 3])
        #expect(try parsed.child(0x99) == nil)
        #expect(throws: ISO7816Error(.missingTag, "")) { try parsed.requiredChild(0x99) }
        #expect(throws: ISO7816Error(.notConstructed, "")) { try TLV(tag: 0x80, value: []).children() }
    }

    @Test func malformedInputGivesTypedErrors() {
        #expect(throws: ISO7816Error(.truncated, "")) { try TLV.parse([]) }
        #expect(throws: ISO7816Error(.truncated, "")) { try TLV.parse([0x5F]) }
        #expect(throws: ISO7816Error(.truncated, "")) { try TLV.parse([0x04]) }
        #expect(throws: ISO7816Error(.truncated, "")) { try TLV.parse([0x04, 0x05, 0x01]) }
        #expect(throws: ISO7816Error(.truncated, "")) { try TLV.parse([0x04, 0x82, 0x01]) }
        #expect(throws: ISO7816Error(.indefiniteLength, "")) { try TLV.parse([0x30, 0x80, 0x00, 0x00]) }
        #expect(throws: ISO7816Error(.lengthTooLong, "")) { try TLV.parse([0x04, 0x85, 1, 1, 1, 1, 1]) }
        #expect(throws: ISO7816Error(.invalidTag, "")) { try TLV.parse([0x1F, 0x81, 0x81, 0x81, 0x01, 0x00]) }
        #expect(throws: ISO7816Error(.trailingBytes, "")) { try TLV.parse([0x04, 0x01, 0xAA, 0x00]) }
        // A huge declared length with few bytes present must fail fast, not allocate.
        #expect(throws: ISO7816Error(.truncated, "")) { try TLV.parse([0x04, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x00]) }
    }

    @Test func everyPrefixOfAValidObjectFails() throws {
        let good = TLV(tag: 0x6D, children: [TLV(tag: 0x30, children: [TLV(tag: 0x02, value: [1]), TLV(tag: 0x0C, value: Array("Nguyễn".utf8))])]).encoded
        _ = try TLV.parse(good)
        for end in good.indices {
            #expect(throws: ISO7816Error.self) { try TLV.parse(Array(good[..<end])) }
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<20_000 {
            let n = Int(rng.next() % 40)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if let all = try? TLV.parseAll(bytes) {
                #expect(all.flatMap(\.encoded).count <= bytes.count)
                for t in all where t.tag.isConstructed { _ = try? t.children() }
            }
        }
    }
}

/// A tiny deterministic generator so property tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
