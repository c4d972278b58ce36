import CCCD
import Foundation
import ISO7816
import MRTD
import Testing

/// Digits mean ASCII 0-9 (issue 9 §2): a DG13 date, an ID number or an MRZ with Arabic-Indic
/// digits, fractions or combining marks is "not a date / not an ID", never a trap.
struct ASCIIDigitTests {
    static let hostileDates = ["٠١/٠٢/١٩٩٩", "01/02/199½", "0\u{301}1/02/1999", "٠١٠٢١٩٩٩", "01/02/１９９９", "+1/02/1999", "1/-2/1999",
                               "01/02/19990", "01021999\u{301}", "", "//////////", "01.02.1999"]

    @Test(arguments: hostileDates)
    func hostileDG13DatesAreNotDates(text: String) throws {
        #expect(VietnameseDate.iso(fromCard: text) == nil)
        let dg = try DG13(DG13.encode([1: "001099012345", 2: "A", 3: text, 4: "Nam", 11: text, 12: text]))
        #expect(dg.dateOfBirth == nil)
        #expect(dg.dateOfIssue == nil)
        #expect(dg.dateOfExpiry == nil)
        _ = dg.hasNoExpiry
        _ = dg.oldIDNumber
    }

    @Test func validCardDatesStillConvert() {
        #expect(VietnameseDate.iso(fromCard: "01/02/1999") == "1999-02-01")
        #expect(VietnameseDate.iso(fromCard: "01021999") == "1999-02-01")
        #expect(VietnameseDate.iso(fromCard: "31/02/1999") == nil)
        #expect(VietnameseDate.card(fromISO: "1999-02-01") == "01/02/1999")
        #expect(VietnameseDate.card(fromISO: "١٩٩٩-02-01") == nil)
        #expect(VietnameseDate.iso(fromMRZ: "990201", isBirth: true, referenceYear: 2026) == "1999-02-01")
        #expect(VietnameseDate.iso(fromMRZ: "+9+2+1", isBirth: true, referenceYear: 2026) == nil)
        #expect(VietnameseDate.iso(fromMRZ: "٩٩٠٢٠١", isBirth: true, referenceYear: 2026) == nil)
        #expect(VietnameseDate.iso(fromMRZ: "990201", isBirth: false, referenceYear: Int.max) == nil)
    }

    @Test(arguments: ["٠٠١٠٩٩٠١٢٣٤٥", "00109901234½", "0\u{301}01099012345", "+01099012345", "００１０９９０１２３４５"])
    func idNumbersAreASCIIDigits(text: String) throws {
        #expect(throws: CCCDError.invalidIDNumber) { try IDNumber(text) }
        // A decoded IDNumber is validated as well: its accessors index the digits.
        let json = try JSONEncoder().encode(["digits": text])
        #expect(throws: (any Error).self) { try JSONDecoder().decode(IDNumber.self, from: json) }
        let dg = try DG13(DG13.encode([1: text, 3: "01/02/1999", 15: text, 16: text]))
        #expect(dg.oldIDNumber == nil)
    }

    @Test func decodedIDNumberRoundTrips() throws {
        let id = try IDNumber("001099012345")
        let back = try JSONDecoder().decode(IDNumber.self, from: try JSONEncoder().encode(id))
        #expect(back == id)
        #expect(back.birthYear == 1999)
        #expect(back.sex == "M")
    }

    @Test func consistencyChecksSurviveHostileDG13() throws {
        let dg1 = try DG1(DG1.encode(mrz: ["IDVNM0990123459001099012345<<0", "9902015M2402011VNM<<<<<<<<<<<4", "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"]))
        #expect(dg1.mrz != nil)
        for date in Self.hostileDates {
            for id in ["001099012345", "٠٠١٠٩٩٠١٢٣٤٥", "0010990123\u{301}45", ""] {
                let dg13 = try DG13(DG13.encode([1: id, 3: date, 4: "Nữ", 12: date]))
                let r = ConsistencyChecks.check(dg1: dg1, dg13: dg13, referenceYear: 2026)
                #expect(r.status == .failed)
            }
        }
    }

    @Test func mrzLinesFromAnInvalidRecordAreAnError() {
        var r = CitizenRecord.sample
        r.sex = ""
        #expect(throws: CCCDError.self) { try VietnameseMRZ.lines(for: r) }
        r = CitizenRecord.sample
        r.dateOfBirth = "1999-0"
        #expect(throws: CCCDError.self) { try VietnameseMRZ.lines(for: r) }
        r = CitizenRecord.sample
        r.dateOfBirth = "١٩٩٩-02-01"
        #expect(throws: CCCDError.self) { try VietnameseMRZ.lines(for: r) }
    }
}
