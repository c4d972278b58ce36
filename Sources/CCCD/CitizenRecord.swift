import Foundation
import MRTD

/// A citizen as the issuance record describes them — the input of card personalisation and the
/// reference an issuing station compares a freshly printed card against.
///
/// Dates are ISO 8601 (`YYYY-MM-DD`); `dateOfExpiry` nil means the card never expires.
public struct CitizenRecord: Codable, Hashable, Sendable {
    public var idNumber: String
    public var fullName: String
    public var dateOfBirth: String
    /// "M" or "F".
    public var sex: String
    public var nationality: String
    public var ethnicity: String
    public var religion: String
    public var placeOfOrigin: String
    public var placeOfResidence: String
    public var identifyingMarks: String
    public var dateOfIssue: String
    public var dateOfExpiry: String?
    public var fatherName: String?
    public var motherName: String?
    public var spouseName: String?
    public var oldIdNumber: String?
    /// DG13 field 16, when the card carries one.
    public var chipSerial: String?

    public init(idNumber: String, fullName: String, dateOfBirth: String, sex: String, nationality: String = "Việt Nam",
                ethnicity: String = "Kinh", religion: String = "Không", placeOfOrigin: String, placeOfResidence: String,
                identifyingMarks: String = "", dateOfIssue: String, dateOfExpiry: String?, fatherName: String? = nil,
                motherName: String? = nil, spouseName: String? = nil, oldIdNumber: String? = nil, chipSerial: String? = nil) {
        self.idNumber = idNumber
        self.fullName = fullName
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.nationality = nationality
        self.ethnicity = ethnicity
        self.religion = religion
        self.placeOfOrigin = placeOfOrigin
        self.placeOfResidence = placeOfResidence
        self.identifyingMarks = identifyingMarks
        self.dateOfIssue = dateOfIssue
        self.dateOfExpiry = dateOfExpiry
        self.fatherName = fatherName
        self.motherName = motherName
        self.spouseName = spouseName
        self.oldIdNumber = oldIdNumber
        self.chipSerial = chipSerial
    }

    /// The built-in synthetic citizen (the person of test-vectors.md; no real data).
    public static let sample = CitizenRecord(
        idNumber: "001099012345", fullName: "Nguyễn Văn An", dateOfBirth: "1999-02-01", sex: "M",
        placeOfOrigin: "Xã A, Huyện B, Tỉnh C", placeOfResidence: "Số 1, Phố D, Phường E, Quận F, Hà Nội",
        identifyingMarks: "Nốt ruồi C:1cm trên trước mép phải", dateOfIssue: "2021-05-10", dateOfExpiry: "2039-02-01",
        fatherName: "Nguyễn Văn Bình", motherName: "Trần Thị Cúc", oldIdNumber: "012345678", chipSerial: "0123456789ABCDEF")

    /// Checks the record is complete enough to personalise a card.
    public func validate() throws {
        _ = try IDNumber(idNumber)
        for (d, f) in [(dateOfBirth, "dateOfBirth"), (dateOfIssue, "dateOfIssue")] {
            guard VietnameseDate.card(fromISO: d).flatMap(VietnameseDate.iso(fromCard:)) == d else { throw CCCDError.invalidDate(f) }
        }
        if let e = dateOfExpiry, VietnameseDate.card(fromISO: e).flatMap(VietnameseDate.iso(fromCard:)) != e {
            throw CCCDError.invalidDate("dateOfExpiry")
        }
        guard sex == "M" || sex == "F" else { throw CCCDError.invalidField("sex must be M or F") }
        guard !fullName.isEmpty else { throw CCCDError.invalidField("fullName is empty") }
    }

    /// DG13 as the card stores it.
    public var dg13: [UInt8] {
        var v: [Int: String] = [
            1: idNumber, 2: fullName, 3: VietnameseDate.card(fromISO: dateOfBirth) ?? dateOfBirth,
            4: sex == "M" ? "Nam" : "Nữ", 5: nationality, 6: ethnicity, 7: religion, 8: placeOfOrigin,
            9: placeOfResidence, 10: identifyingMarks, 11: VietnameseDate.card(fromISO: dateOfIssue) ?? dateOfIssue,
            12: dateOfExpiry.flatMap(VietnameseDate.card(fromISO:)) ?? "Không thời hạn",
        ]
        if let f = fatherName { v[13] = f }
        if let m = motherName { v[17] = m }
        if let s = spouseName { v[14] = s }
        if let o = oldIdNumber { v[15] = o }
        if let c = chipSerial { v[16] = c }
        return DG13.encode(v)
    }
}

/// The TD1 MRZ the Vietnamese card carries (cccd-chip.md): document number = last 9 ID digits,
/// the full ID in the optional data with its own check digit at position 30, "991231" for cards
/// without expiry, names in ASCII without diacritics.
public enum VietnameseMRZ {
    public static let noExpiry = "991231"

    public static func lines(for r: CitizenRecord) throws -> [String] {
        // A record may come from a file: validate first, so dates are YYYY-MM-DD in ASCII digits
        // and sex is M or F, then every slice below exists; a failed check is an error, not a trap.
        try r.validate()
        let id = try IDNumber(r.idNumber)
        func yymmdd(_ iso: String) -> String {
            let p = iso.split(separator: "-")
            return p.count == 3 ? String(p[0].suffix(2)) + p[1] + p[2] : ""
        }
        func cd(_ s: String) throws -> String {
            guard let c = CheckDigit.character(s) else { throw CCCDError.invalidField("MRZ field has no check digit") }
            return String(c)
        }
        let doc = id.documentNumber
        let line1 = "IDVNM" + doc + (try cd(doc)) + id.digits + "<<" + String(id.checkDigit)
        let dob = yymmdd(r.dateOfBirth)
        let doe = r.dateOfExpiry.map(yymmdd) ?? noExpiry
        var line2 = dob + (try cd(dob)) + r.sex + doe + (try cd(doe)) + "VNM" + String(repeating: "<", count: 11)
        let l1 = Array(line1), l2 = Array(line2)
        guard l1.count == 30, l2.count == 29 else { throw CCCDError.invalidField("record does not fit a TD1 MRZ") }
        let composite = String(l1[5..<30]) + String(l2[0..<7]) + String(l2[8..<15]) + String(l2[18..<29])
        line2 += try cd(composite)
        return [line1, line2, nameLine(r.fullName)]
    }

    /// "Nguyễn Văn An" → "NGUYEN<<VAN<AN<<…" (30 characters, truncated if longer).
    public static func nameLine(_ fullName: String) -> String {
        let ascii = asciiName(fullName)
        let words = ascii.split(separator: " ").map(String.init)
        var line = (words.first ?? "") + "<<" + words.dropFirst().joined(separator: "<")
        if line.count > 30 { line = String(line.prefix(30)) }
        return line + String(repeating: "<", count: 30 - line.count)
    }

    /// Removes Vietnamese diacritics (Đ → D) and keeps A–Z and spaces.
    public static func asciiName(_ s: String) -> String {
        let folded = s.replacingOccurrences(of: "Đ", with: "D").replacingOccurrences(of: "đ", with: "d")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX")).uppercased()
        return String(folded.unicodeScalars.filter { ($0.value >= 65 && $0.value <= 90) || $0 == " " }.map(Character.init))
    }
}
