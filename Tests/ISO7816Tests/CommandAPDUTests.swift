import ISO7816
import Testing

struct CommandAPDUTests {
    @Test func shortEncodingsForAllFourCases() throws {
        #expect(try CommandAPDU(ins: 0x84, p1: 0, p2: 0).encoded() == [0x00, 0x84, 0x00, 0x00])
        #expect(try CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8).encoded() == [0x00, 0x84, 0x00, 0x00, 0x08])
        #expect(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 256).encoded() == [0x00, 0xB0, 0x00, 0x00, 0x00])
        #expect(try CommandAPDU(ins: 0xA4, p1: 2, p2: 0x0C, data: [0x01, 0x1E]).encoded() == [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E])
        #expect(try CommandAPDU(ins: 0xA4, p1: 4, p2: 0, data: [0xA0], ne: 256).encoded() == [0x00, 0xA4, 0x04, 0x00, 0x01, 0xA0, 0x00])
    }

    @Test func extendedEncodings() throws {
        #expect(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 257).encoded() == [0x00, 0xB0, 0x00, 0x00, 0x00, 0x01, 0x01])
        #expect(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 65536).encoded() == [0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00])
        let data = [UInt8](repeating: 0xAB, count: 300)
        let e3 = try CommandAPDU(ins: 0xEE, p1: 0, p2: 0, data: data).encoded()
        #expect(Array(e3.prefix(7)) == [0x00, 0xEE, 0x00, 0x00, 0x00, 0x01, 0x2C])
        #expect(e3.count == 7 + 300)
        let e4 = try CommandAPDU(ins: 0xEE, p1: 0, p2: 0, data: data, ne: 65536).encoded()
        #expect(Array(e4.suffix(2)) == [0x00, 0x00])
        #expect(e4.count == 7 + 300 + 2)
        // Forced extended for a small case 4 (e.g. a reader that needs extended for DO97 two bytes).
        #expect(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, data: [1], ne: 5).encoded(forceExtended: true) == [0, 0xB0, 0, 0, 0, 0, 1, 1, 0, 5])
    }

    @Test func rangesAreValidated() {
        #expect(throws: ISO7816Error(.invalidLength, "")) { try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 0).encoded() }
        #expect(throws: ISO7816Error(.invalidLength, "")) { try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 65537).encoded() }
        #expect(throws: ISO7816Error(.dataTooLong, "")) {
            try CommandAPDU(ins: 0xEE, p1: 0, p2: 0, data: [UInt8](repeating: 0, count: 65536)).encoded()
        }
    }

    @Test(arguments: [
        CommandAPDU(ins: 0x84, p1: 1, p2: 2),
        CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8),
        CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 256),
        CommandAPDU(ins: 0xA4, p1: 2, p2: 0x0C, data: [1, 2]),
        CommandAPDU(ins: 0xA4, p1: 2, p2: 0x0C, data: [1, 2], ne: 1),
        CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 1000),
        CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 65536),
        CommandAPDU(ins: 0xEE, p1: 0, p2: 0, data: [UInt8](repeating: 7, count: 256)),
        CommandAPDU(ins: 0xEE, p1: 0, p2: 0, data: [UInt8](repeating: 7, count: 256), ne: 256),
        CommandAPDU(ins: 0xEE, p1: 0, p2: 0, data: [UInt8](repeating: 7, count: 65535), ne: 65536),
    ])
    func parsingRoundTrips(apdu: CommandAPDU) throws {
        #expect(try CommandAPDU(bytes: apdu.encoded()) == apdu)
    }

    @Test func malformedAPDUsAreRejected() {
        let bad: [[UInt8]] = [
            [], [0x00], [0x00, 0xA4, 0x02],
            [0x00, 0xA4, 0x02, 0x0C, 0x03, 0x01, 0x1E],          // Lc says 3, 2 bytes follow
            [0x00, 0xA4, 0x02, 0x0C, 0x01, 0x01, 0x1E, 0x00, 0x00], // one byte too many
            [0x00, 0xB0, 0x00, 0x00, 0x00, 0x01],                  // extended Le truncated
            [0x00, 0xEE, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05],      // extended Lc of zero
            [0x00, 0xEE, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01],      // extended Lc 3, 1 byte
        ]
        for b in bad {
            #expect(throws: ISO7816Error.self) { try CommandAPDU(bytes: b) }
        }
    }

    @Test func descriptionNeverShowsPayload() {
        let apdu = CommandAPDU(ins: 0xA4, p1: 2, p2: 0x0C, data: [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(!apdu.description.contains("DEADBEEF"))
        #expect(apdu.description.contains("00A4020C"))
    }
}

struct ResponseAPDUTests {
    @Test func splitsDataAndStatus() throws {
        let r = try ResponseAPDU(bytes: [0x01, 0x02, 0x90, 0x00])
        #expect(r.data == [1, 2])
        #expect(r.status == .success)
        #expect(r.bytes == [0x01, 0x02, 0x90, 0x00])
        #expect(throws: ISO7816Error(.responseTooShort, "")) { try ResponseAPDU(bytes: [0x90]) }
        #expect(throws: CardStatusError.self) { try ResponseAPDU(bytes: [0x6A, 0x82]).checkSuccess() }
    }
}

struct StatusWordTests {
    static let cases: [(UInt16, StatusWord.Meaning)] = [
        (0x9000, .success), (0x6A82, .fileNotFound), (0x6982, .securityNotSatisfied),
        (0x6D00, .insNotSupported), (0x6700, .wrongLength), (0x6282, .endOfFile),
        (0x6988, .smDataObjectsIncorrect), (0x6987, .smDataObjectsMissing), (0x6B00, .wrongP1P2),
        (0x6110, .bytesAvailable(16)), (0x6100, .bytesAvailable(256)), (0x6C20, .wrongLe(32)),
        (0x63C2, .verificationFailed(retriesLeft: 2)), (0x6300, .verificationFailed(retriesLeft: nil)),
        (0x6A87, .lcInconsistent), (0x6A88, .referencedDataNotFound), (0x1234, .other),
    ]

    @Test(arguments: cases)
    func meaning(sw: UInt16, meaning: StatusWord.Meaning) {
        #expect(StatusWord(sw).meaning == meaning)
        #expect(!StatusWord(sw).humanMeaning.isEmpty)
    }
}

struct ATRTests {
    @Test func contactlessATRAnnouncesExtendedLength() throws {
        // 3B 8A 80 01 80 73 00 00 40 ... : capabilities byte 3 has bit 7 set.
        let bytes = try #require([UInt8](hex: "3B8580018073000040"))
        var withTCK = bytes
        withTCK.append(bytes.dropFirst().reduce(0, ^))
        let atr = try ATR(withTCK)
        #expect(atr.historicalBytes == [0x80, 0x73, 0x00, 0x00, 0x40])
        #expect(atr.supportsExtendedLength == true)
        #expect(atr.protocols == [0, 1])
    }

    @Test func truncatedATRsAreRejected() throws {
        let good = try #require([UInt8](hex: "3B8580018073000040C5"))
        for end in 0..<(good.count - 1) {
            if end < 9 { #expect(throws: ISO7816Error.self) { try ATR(Array(good[..<end])) } }
        }
        #expect(throws: ISO7816Error.self) { try ATR([0x12, 0x00]) }
    }
}
