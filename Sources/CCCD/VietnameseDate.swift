/// Dates as DG13 writes them (`dd/mm/yyyy`, or `ddmmyyyy` on some cards), converted to ISO 8601.
public enum VietnameseDate {
    /// "01/02/1999" or "01021999" → "1999-02-01"; nil when it is not a valid calendar date.
    public static func iso(fromCard text: String) -> String? {
        let digits = text.filter(\.isNumber)
        let separatorsOK = text.count == 8 ? text.allSatisfy(\.isNumber) : (text.count == 10 && Array(text)[2] == "/" && Array(text)[5] == "/")
        guard separatorsOK, digits.count == 8 else { return nil }
        let a = Array(digits)
        let dd = String(a[0..<2]), mm = String(a[2..<4]), yyyy = String(a[4..<8])
        guard valid(day: Int(dd)!, month: Int(mm)!, year: Int(yyyy)!) else { return nil }
        return "\(yyyy)-\(mm)-\(dd)"
    }

    /// "1999-02-01" → "01/02/1999".
    public static func card(fromISO iso: String) -> String? {
        let p = iso.split(separator: "-")
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2 else { return nil }
        return "\(p[2])/\(p[1])/\(p[0])"
    }

    /// MRZ YYMMDD → ISO, with the century chosen so that birth dates lie in the past and expiry
    /// dates within 100 years from `referenceYear`. "991231" in an expiry means "no expiry".
    public static func iso(fromMRZ yymmdd: String, isBirth: Bool, referenceYear: Int) -> String? {
        guard yymmdd.count == 6, let yy = Int(yymmdd.prefix(2)), let mm = Int(yymmdd.dropFirst(2).prefix(2)), let dd = Int(yymmdd.suffix(2)) else { return nil }
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

