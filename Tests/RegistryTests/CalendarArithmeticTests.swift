import Foundation
@testable import Registry
import Testing

/// The integer calendar arithmetic behind event timestamps and the synthetic province must agree
/// with Foundation's Gregorian calendar everywhere, and generated records must be NFC as a
/// normalising initialiser would have made them.
struct CalendarArithmeticTests {
    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func reference(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.calendar = utc
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return f.string(from: date)
    }

    @Test func timestampsAndDaysMatchTheGregorianCalendar() {
        var g = SplitMix64(seed: 42)
        var instants: [Double] = [0, -1, -0.001, 951_782_400, 951_868_799.999, 4_107_542_400, -2_208_988_800, 1_764_547_200.123]
        for _ in 0..<3000 { instants.append(Double(Int64(bitPattern: g.next()) % 8_000_000_000_000) / 1000) }  // ±253 years
        for t in instants {
            let d = Date(timeIntervalSince1970: (t * 1000).rounded(.down) / 1000)
            let expected = Self.reference(d)
            #expect(ISODate.timestamp(d) == expected, "\(t)")
            #expect(ISODate.day(of: d) == String(expected.prefix(10)), "\(t)")
        }
    }

    @Test func addingDaysMatchesTheGregorianCalendar() throws {
        for (start, n) in [("2021-03-01", 0), ("2021-03-01", 789), ("2024-02-28", 1), ("2024-02-28", 2), ("2100-02-28", 1),
                           ("2000-02-28", 1), ("1999-12-31", 1), ("2023-01-01", -1), ("1900-03-01", -1)] {
            let p = start.split(separator: "-").compactMap { Int($0) }
            let base = try #require(Self.utc.date(from: DateComponents(year: p[0], month: p[1], day: p[2])))
            let expected = String(Self.reference(try #require(Self.utc.date(byAdding: .day, value: n, to: base))).prefix(10))
            #expect(ISODate.adding(days: n, to: start) == expected, "\(start) + \(n)")
        }
        #expect(ISODate.adding(days: 1, to: "2023-02-29") == nil)
    }

    @Test func wildInstantsNeverTrap() {
        for t in [Double.infinity, -Double.infinity, Double.nan, 1e300, -1e300] {
            #expect(ISODate.timestamp(Date(timeIntervalSince1970: t)).count == 24)
        }
    }

    @Test func syntheticCitizensAreNFC() throws {
        let p = try SyntheticProvince(province: "035", citizens: 754_277, vneidActive: 0.668, seed: 3)
        for c in p.batch(0..<2000, now: Date()).citizens {
            for text in [c.fullName, c.nationality, c.ethnicity, c.religion, c.placeOfOrigin, c.placeOfResidence, c.identifyingMarks,
                         c.fatherName, c.motherName, c.spouseName].compactMap({ $0 }) {
                #expect(text == text.precomposedStringWithCanonicalMapping && Array(text.utf8) == Array(text.precomposedStringWithCanonicalMapping.utf8))
            }
        }
    }
}

/// The registry's JSON parser reads import files and stored events: nesting is bounded, so a
/// hostile line cannot overflow the stack.
struct JSONDepthTests {
    @Test func deepNestingIsAnErrorNotACrash() {
        for open in ["[", "{\"a\":"] {
            let text = String(repeating: open, count: 100_000)
            #expect(throws: RegistryError.self) { _ = try JSONValue(parsing: text) }
        }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? JSONValue(parsing: ok)) != nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: RegistryError.self) { _ = try JSONValue(parsing: tooDeep) }
    }
}
