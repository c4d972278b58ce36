import ISO7816
import MRTD
import Testing

/// Parsers for the optional data groups and EF.COM, with round trips where the format allows.
struct LDSFileTests {
    @Test func efCOMRoundTrip() throws {
        let bytes = EFCOM.encode(files: [.dataGroup(1), .dataGroup(2), .dataGroup(13), .dataGroup(14), .dataGroup(15)])
        let com = try EFCOM(bytes)
        #expect(com.ldsVersion == "0107")
        #expect(com.unicodeVersion == "040000")
        #expect(com.tags == [0x61, 0x75, 0x6D, 0x6E, 0x6F])
        // ICAO Appendix D's EF.COM.
        let icao = try EFCOM(h("60145F0104303130365F36063034303030305C026175"))
        #expect(icao.tags == [0x61, 0x75])
        #expect(icao.ldsVersion == "0106")
    }

    @Test func dg1ForEveryFormat() throws {
        let td3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
        let dg1 = try DG1(DG1.encode(mrz: td3))
        #expect(dg1.mrz?.format == .td3)
        #expect(dg1.mrz?.documentNumber == "L898902C3")
        var bad = td3
        bad[1] = "L898902C37UTO7408122F1204159ZE184226B<<<<<10"
        let broken = try DG1(DG1.encode(mrz: bad))
        #expect(broken.mrz == nil)
        #expect(broken.mrzProblem == .checkDigitMismatch(field: "documentNumber"))
        #expect(throws: LDSError.self) { try DG1(TLV(tag: 0x61, children: [TLV(tag: 0x5F1F, value: Array("SHORT".utf8))]).encoded) }
    }

    @Test func dg2InBothRecordFormats() throws {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 7, count: 100) + [0xFF, 0xD9]
        let iso19794 = try DG2(DG2.encode(image: jpeg, format: .jpeg, width: 10, height: 12))
        #expect(iso19794.face.data == jpeg)
        #expect(iso19794.face.width == 10)
        #expect(iso19794.face.recordFormat == "ISO 19794-5")
        // An ISO 39794-5 style block: BER with the image as a primitive element somewhere inside.
        let jp2: [UInt8] = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A] + [UInt8](repeating: 3, count: 40)
        let block = TLV(tag: 0xA1, children: [TLV(tag: 0x80, value: [3]), TLV(tag: 0xA2, children: [TLV(tag: 0x81, value: jp2)])])
        let dg2 = TLV(tag: 0x75, children: [TLV(tag: 0x7F61, children: [TLV(tag: 0x02, value: [1]),
            TLV(tag: 0x7F60, children: [TLV(tag: 0xA1, children: []), TLV(tag: 0x7F2E, value: block.encoded)])])])
        let parsed = try DG2(dg2.encoded)
        #expect(parsed.face.format == .jpeg2000)
        #expect(parsed.face.data == jp2)
        #expect(parsed.face.recordFormat == "ISO 39794-5")
    }

    @Test func optionalDataGroups() throws {
        let dg11 = try DG11(TLV(tag: 0x6B, children: [TLV(tag: 0x5C, value: [0x5F, 0x0E, 0x5F, 0x2B]),
                                                      TLV(tag: 0x5F0E, value: Array("NGUYEN<<VAN<AN".utf8)),
                                                      TLV(tag: 0x5F2B, value: Array("19990201".utf8))]).encoded)
        #expect(dg11.fullName == "NGUYEN<<VAN<AN")
        #expect(dg11.fullDateOfBirth == "19990201")
        let dg12 = try DG12(TLV(tag: 0x6C, children: [TLV(tag: 0x5C, value: [0x5F, 0x19]), TLV(tag: 0x5F19, value: Array("BCA".utf8)),
                                                      TLV(tag: 0x5F26, value: Array("20210510".utf8))]).encoded)
        #expect(dg12.issuingAuthority == "BCA")
        #expect(dg12.dateOfIssue == "20210510")
        let dg16 = try DG16(TLV(tag: 0x70, children: [TLV(tag: 0x02, value: [2]),
                                                      TLV(tag: 0xA1, children: [TLV(tag: 0x5F51, value: Array("A".utf8))]),
                                                      TLV(tag: 0xA2, children: [TLV(tag: 0x5F51, value: Array("B".utf8))])]).encoded)
        #expect(dg16.persons.map { $0.string(0x5F51) } == ["A", "B"])
        let dg7 = try DG7(TLV(tag: 0x67, children: [TLV(tag: 0x02, value: [1]), TLV(tag: 0x5F43, value: [0xFF, 0xD8, 0xFF])]).encoded)
        #expect(dg7.images == [[0xFF, 0xD8, 0xFF]])
        #expect(throws: LDSError.self) { try DG11(TLV(tag: 0x6C, value: []).encoded) }
    }

    @Test func fileIdentifiers() {
        #expect(LDSFileID.dataGroup(13).fid == 0x010D)
        #expect(LDSFileID.dataGroup(13).sfi == 0x0D)
        #expect(LDSFileID.dataGroup(2).tag == 0x75)
        #expect(LDSFileID.forTag(0x6D) == .dataGroup(13))
        #expect(LDSFileID.cardAccess.isInMasterFile)
        #expect(LDSFileID.sod.fid == 0x011D)
    }
}

struct DERBuilderTests {
    @Test func oidEncoding() {
        #expect(DERBuilder.oid("0.4.0.127.0.7.2.2.4.2.2") == h("060A04007F00070202040202"))
        #expect(DERBuilder.oid("1.2.840.10045.4.3.4") == h("06082A8648CE3D040304"))
        #expect(DERBuilder.oid("2.23.136.1.1.5") == h("0606678108010105"))
        #expect(DERBuilder.oid("not.an.oid") == [0x06, 0x00])
        #expect(DERBuilder.oid("3.1") == [0x06, 0x00])
    }
}
