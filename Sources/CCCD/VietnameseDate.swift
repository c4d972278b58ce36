import MRTD

/// Dates as DG13 writes them (`dd/mm/yyyy`, or `ddmmyyyy` on some cards), converted to ISO 8601.
public enum VietnameseDate {
    /// "01/02/1999" or "01021999" → "1999-02-01"; nil when it is not a valid calendar date.
    public static func iso(fromCard text: String) -> String? {
        // On bytes, ASCII digits only: "٠١/٠٢/١٩٩٩" or "01/02/199½" is not a date (ASCIIDigits).
        let b = Array(text.utf8)
        let digits: [UInt8]
        switch b.count {
        case 8: digits = b
        case 10 where b[2] == 0x2F && b[5] == 0x2F: digits = Array(b[0..<2] + b[3..<5] + b[6..<10])
        default: return nil
        }
        guard digits.allSatisfy(ASCIIDigits.isDigit) else { return nil }
        let dd = String(decoding: digits[0..<2], as: UTF8.self), mm = String(decoding: digits[2..<4], as: UTF8.self)
        let yyyy = String(decoding: digits[4..<8], as: UTF8.self)
        guard let d = ASCIIDigits.value(dd), let m = ASCIIDigits.value(mm), let y = ASCIIDigits.value(yyyy),
              valid(day: d, month: m, year: y) else { return nil }
        return "\(yyyy)-\(mm)-\(dd)"
    }

    /// "1999-02-01" → "01/02/1999".
    public static func card(fromISO iso: String) -> String? {
        let p = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, ASCIIDigits.isDigits(p[0], count: 4), ASCIIDigits.isDigits(p[1], count: 2),
              ASCIIDigits.isDigits(p[2], count: 2) else { return nil }
        return "\(p[2])/\(p[1])/\(p[0])"
    }

    /// MRZ YYMMDD → ISO, with the century chosen so that birth dates lie in the past and expiry
    /// dates within 100 years from `referenceYear`. "991231" in an expiry means "no expiry".
    public static func iso(fromMRZ yymmdd: String, isBirth: Bool, referenceYear: Int) -> String? {
        let b = Array(yymmdd.utf8)
        guard b.count == 6, let yy = ASCIIDigits.value(String(decoding: b[0..<2], as: UTF8.self)),
              let mm = ASCIIDigits.value(String(decoding: b[2..<4], as: UTF8.self)),
              let dd = ASCIIDigits.value(String(decoding: b[4..<6], as: UTF8.self)),
              (0...9999).contains(referenceYear) else { return nil }
        let century = referenceYear / 100 * 100
        var year = century + yy
        if isBirth {
            if year > referenceYear { year -= 100 }
        } else if year < referenceYear - 50 {
            year += 100
        }
        guard valid(day: dd, month: mm, year: year) else { return nil }
        return pad(year, 4) + "-" + pad(mm, 2) + "-" + pad(dd, 2)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func valid(day: Int, month: Int, year: Int) -> Bool {
        guard (1...12).contains(month), year >= 1800, year <= 2200 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}

