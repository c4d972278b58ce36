import CCCD
import ISO7816
import MRTD
import Testing

struct DG13Tests {
    static let vector = """
    6D82018D30820189020101060628D3160100083182017A3011020101130C3030
    3130393930313233343530150201020C104E677579E1BB856E2056C4836E2041
    6E300F020103130A30312F30322F3139393930080201040C034E616D300F0201
    050C0A5669E1BB8774204E616D30090201060C044B696E68300B0201070C064B
    68C3B46E67301F0201080C1A58C3A320412C20487579E1BB876E20422C2054E1
    BB896E68204330360201090C3153E1BB9120312C205068E1BB9120442C205068
    C6B0E1BB9D6E6720452C205175E1BAAD6E20462C2048C3A0204EE1BB99693032
    02010A0C2D4EE1BB9174207275E1BB936920433A31636D207472C3AA6E207472
    C6B0E1BB9B63206DC3A970207068E1BAA369300F02010B130A31302F30352F32
    303231300F02010C0C0A30312F30322F32303234302F02010D30150C134E6775
    79E1BB856E2056C4836E2042C3AC6E6830130C115472E1BAA76E205468E1BB8B
    2043C3BA63300302010E300E02010F1309303132333435363738301502011013
    1030313233343536373839414243444546
    """

    @Test func syntheticVectorParsesToExactlyItsValues() throws {
        let bytes = try #require([UInt8](hex: Self.vector))
        #expect(bytes.count == 401)
        let dg = try DG13(bytes)
        #expect(dg.version == 1)
        #expect(dg.idNumber == "001099012345")
        #expect(dg.fullName == "Nguyễn Văn An")
        #expect(dg.dateOfBirth == "1999-02-01")
        #expect(dg.sex == "M")
        #expect(dg.sexText == "Nam")
        #expect(dg.nationality == "Việt Nam")
        #expect(dg.ethnicity == "Kinh")
        #expect(dg.religion == "Không")
        #expect(dg.placeOfOrigin == "Xã A, Huyện B, Tỉnh C")
        #expect(dg.placeOfResidence == "Số 1, Phố D, Phường E, Quận F, Hà Nội")
        #expect(dg.identifyingMarks == "Nốt ruồi C:1cm trên trước mép phải")
        #expect(dg.dateOfIssue == "2021-05-10")
        #expect(dg.dateOfExpiry == "2024-02-01")
        #expect(!dg.hasNoExpiry)
        #expect(dg.fatherName == "Nguyễn Văn Bình")
        #expect(dg.motherName == "Trần Thị Cúc")
        #expect(dg.spouseName == nil)
        #expect(dg.oldIDNumber == "012345678")
        #expect(dg.field16 == "0123456789ABCDEF")
        #expect(dg.unknownFields.isEmpty)
    }

    @Test func encoderReproducesTheVectorByteForByte() throws {
        let dg = try DG13(try #require([UInt8](hex: Self.vector)))
        let values: [Int: String] = [
            1: dg.idNumber!, 2: dg.fullName!, 3: "01/02/1999", 4: "Nam", 5: dg.nationality!, 6: dg.ethnicity!,
            7: dg.religion!, 8: dg.placeOfOrigin!, 9: dg.placeOfResidence!, 10: dg.identifyingMarks!,
            11: "10/05/2021", 12: "01/02/2024", 13: dg.fatherName!, 17: dg.motherName!, 15: "012345678", 16: "0123456789ABCDEF",
        ]
        #expect(DG13.encode(values) == dg.raw)
    }

    @Test func variantsAreAccepted() throws {
        // Parents as one SEQUENCE of two strings, ddmmyyyy dates, no-expiry text, old ID in field 16.
        let values: [[UInt8]] = [
            DERBuilder.sequence([DERBuilder.integer(1), DERBuilder.printableString("079303001122")]),
            DERBuilder.sequence([DERBuilder.integer(3), DERBuilder.printableString("15081960")]),
            DERBuilder.sequence([DERBuilder.integer(12), DERBuilder.utf8String("Không thời hạn")]),
            DERBuilder.sequence([DERBuilder.integer(13), DERBuilder.sequence([DERBuilder.utf8String("Lê Văn A"), DERBuilder.utf8String("Phạm Thị B")])]),
            DERBuilder.sequence([DERBuilder.integer(14), DERBuilder.utf8String("Hoàng Văn C")]),
            DERBuilder.sequence([DERBuilder.integer(16), DERBuilder.printableString("123456789")]),
            DERBuilder.sequence([DERBuilder.integer(21), DERBuilder.utf8String("future")]),
        ]
        let raw = DERBuilder.tlv(0x6D, DERBuilder.sequence([DERBuilder.integer(1), DERBuilder.oid("1.0.10646.1.0.8"), DERBuilder.tlv(0x31, values.flatMap { $0 })]))
        let dg = try DG13(raw)
        #expect(dg.dateOfBirth == "1960-08-15")
        #expect(dg.hasNoExpiry)
        #expect(dg.dateOfExpiry == nil)
        #expect(dg.expiryText == "Không thời hạn")
        #expect(dg.fatherName == "Lê Văn A")
        #expect(dg.motherName == "Phạm Thị B")
        #expect(dg.spouseName == "Hoàng Văn C")
        #expect(dg.oldIDNumber == "123456789")
        #expect(dg.unknownFields[21] != nil)
    }

    @Test func everyPrefixFailsAndGarbageNeverCrashes() throws {
        let bytes = try #require([UInt8](hex: Self.vector))
        for end in bytes.indices {
            #expect(throws: LDSError.self) { try DG13(Array(bytes[..<end])) }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var b = bytes
            for _ in 0..<3 { b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = try? DG13(b)
        }
    }

    @Test func idNumberRules() throws {
        let id = try IDNumber("001099012345")
        #expect(id.provinceName == "Hà Nội")
        #expect(id.sex == "M")
        #expect(id.birthYear == 1999)
        #expect(id.documentNumber == "099012345")
        #expect(id.defaultCAN == "012345")
        #expect(id.warnings.isEmpty)
        #expect(try IDNumber("999301012345").warnings == ["unknown province code 999"])
        #expect(try IDNumber("079303001122").birthYear == 2003)
        #expect(try IDNumber("079303001122").sex == "F")
        #expect(throws: CCCDError.invalidIDNumber) { try IDNumber("12345") }
        #expect(!id.description.contains("099012345"))
    }

    @Test func dates() {
        #expect(VietnameseDate.iso(fromCard: "29/02/2000") == "2000-02-29")
        #expect(VietnameseDate.iso(fromCard: "29/02/1900") == nil)
        #expect(VietnameseDate.iso(fromCard: "31042020") == nil)
        #expect(VietnameseDate.iso(fromMRZ: "990201", isBirth: true, referenceYear: 2026) == "1999-02-01")
        #expect(VietnameseDate.iso(fromMRZ: "390101", isBirth: false, referenceYear: 2026) == "2039-01-01")
    }
}
