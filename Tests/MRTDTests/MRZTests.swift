import MRTD
import Testing

struct MRZTests {
    @Test func icaoTD1Specimen() throws {
        let mrz = try MRZ("I<UTOL898902C<3<<<<<<<<<<<<<<<\n6908061F9406236UTO<<<<<<<<<<<2\nERIKSSON<<ANNA<MARIA<<<<<<<<<<")
        #expect(mrz.format == .td1)
        #expect(mrz.documentCode == "I")
        #expect(mrz.issuingState == "UTO")
        #expect(mrz.documentNumber == "L898902C")
        #expect(mrz.dateOfBirth == "690806")
        #expect(mrz.dateOfExpiry == "940623")
        #expect(mrz.sex == "F")
        #expect(mrz.primaryIdentifier == "ERIKSSON")
        #expect(mrz.secondaryIdentifier == "ANNA MARIA")
        #expect(mrz.accessKey.mrzInformation == "L898902C<369080619406236")
    }

    @Test func vietnameseTD1() throws {
        let text = "IDVNM0990123459001099012345<<0" + "9902015M2402011VNM<<<<<<<<<<<4" + "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
        let mrz = try MRZ(text)
        #expect(mrz.documentCode == "ID")
        #expect(mrz.issuingState == "VNM")
        #expect(mrz.documentNumber == "099012345")
        #expect(mrz.optionalData1 == "001099012345<<0")
        #expect(mrz.name == "NGUYEN VAN AN")
        #expect(CheckDigit.character("001099012345") == "0")
        #expect(mrz.vietnameseIDNumber == "001099012345")
        // Position 30 must be the ID's check digit, even though the composite still matches.
        var wrong = Array(text)
        wrong[29] = "7"
        var line2 = Array(wrong[30..<60])
        let composite = String(wrong[5..<30]) + String(line2[0..<7]) + String(line2[8..<15]) + String(line2[18..<29])
        line2[29] = CheckDigit.character(composite)!
        #expect(throws: MRZError.checkDigitMismatch(field: "idNumber")) {
            try MRZ(String(wrong[0..<30]) + String(line2) + String(wrong[60...]))
        }
    }

    @Test func td3AndTD2() throws {
        let td3 = try MRZ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10")
        #expect(td3.format == .td3)
        #expect(td3.documentNumber == "L898902C3")
        #expect(td3.dateOfBirth == "740812")
        #expect(td3.name == "ERIKSSON ANNA MARIA")
        let td2 = try MRZ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6")
        #expect(td2.format == .td2)
        #expect(td2.documentNumber == "D23145890")
    }

    @Test func everyCorruptedCheckDigitIsCaught() throws {
        let good = "IDVNM0990123459001099012345<<09902015M2402011VNM<<<<<<<<<<<4NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
        _ = try MRZ(good)
        for i in [14, 30 + 6, 30 + 14, 30 + 29] {
            var chars = Array(good)
            chars[i] = chars[i] == "0" ? "1" : "0"
            #expect(throws: MRZError.self) { try MRZ(String(chars)) }
        }
        #expect(throws: MRZError.invalidLength(5)) { try MRZ("ABCDE") }
        #expect(throws: MRZError.invalidCharacter) { try MRZ(String(repeating: "a", count: 89) + "!") }
    }

    @Test func accessKeyValidationAndRedaction() throws {
        #expect(throws: AccessKeyError.invalidCAN) { try AccessKey.can("12345").validate() }
        try AccessKey.can("012345").validate()
        #expect(!AccessKey.can("012345").description.contains("012345"))
        #expect(throws: AccessKeyError.invalidDate(field: "dateOfBirth")) {
            try AccessKey.mrz(documentNumber: "A", dateOfBirth: "9901", dateOfExpiry: "390101").validate()
        }
    }

    @Test func syntheticVietnameseBACKeys() throws {
        let key = AccessKey.mrz(documentNumber: "099012345", dateOfBirth: "990101", dateOfExpiry: "390101")
        #expect(key.mrzInformation == "099012345999010183901016")
        #expect(key.bacKeySeed == h("F2A47194A645E21BE092A4D83758F12B"))
        let (enc, mac) = try BAC.keys(for: key)
        #expect(enc == h("DAC1641F4F083BBA3273040E7F8AC7D0"))
        #expect(mac == h("618F7619194A102CEA92A789A880237F"))
        #expect(KeyDerivation.derive(AccessKey.can("012345").pacePassword, counter: 3, cipher: .aes128) == h("5E5CD537047973C8F8BFDEA168324EC0"))
    }
}
