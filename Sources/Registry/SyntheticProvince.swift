import CCCD
import Foundation

/// A synthetic province for demos and benchmarks (`cccd registry seed`): valid ID numbers for the
/// province, plausible Vietnamese names and addresses, one handed-over card per citizen with the
/// expiry the renewal ages give, and VNeID accounts with exactly `floor(citizens × vneidActive)`
/// active. Citizen `i` depends only on (seed, i), so any batch can be generated alone and the
/// whole is deterministic. All data is synthetic.
public struct SyntheticProvince: Sendable {
    public var province: String
    public var citizens: Int
    public var vneidActive: Double
    public var seed: UInt64
    /// Cards were issued during the campaign, before this day; ages are counted at it.
    public static let campaignEnd = "2023-06-30"

    public init(province: String, citizens: Int, vneidActive: Double, seed: UInt64) throws {
        guard province.count == 3, province.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw RegistryError.invalidRecord("province must be a 3-digit code")
        }
        guard (0...1_000_000).contains(citizens) else { throw RegistryError.invalidRecord("citizens must be 0...1000000 (six serial digits)") }
        guard (0...1).contains(vneidActive) else { throw RegistryError.invalidRecord("vneid-active must be between 0 and 1") }
        self.province = province
        self.citizens = citizens
        self.vneidActive = vneidActive
        self.seed = seed
    }

    /// Citizens `range` with their cards and accounts.
    public func batch(_ range: Range<Int>, now: Date) -> Mutation {
        var m = Mutation()
        m.citizens.reserveCapacity(range.count)
        m.cards.reserveCapacity(range.count)
        for i in range {
            let (c, card, a) = person(i, now: now)
            m.citizens.append(c)
            m.cards.append(card)
            if let a { m.accounts.append(a) }
        }
        return m
    }

    /// Citizens at `indices` (any order) with their cards and accounts.
    public func batch(indices: some Collection<Int>, now: Date) -> Mutation {
        var m = Mutation()
        m.citizens.reserveCapacity(indices.count)
        m.cards.reserveCapacity(indices.count)
        for i in indices {
            let (c, card, a) = person(i, now: now)
            m.citizens.append(c)
            m.cards.append(card)
            if let a { m.accounts.append(a) }
        }
        return m
    }

    /// Every citizen index in ID-number order. Seeding in this order appends to the tables'
    /// B-trees instead of touching pages all over them: each batch then writes each page once,
    /// where index order (scattered serials) rewrote most of the tree in every batch.
    public func indicesInIDOrder() -> [Int] {
        var keyed = [(id: UInt64, index: Int)]()
        keyed.reserveCapacity(citizens)
        for i in 0..<citizens {
            let h = head(i)
            // The ID's digits after the fixed province code, as one number: same order as the text.
            keyed.append((UInt64(h.centuryDigit) * 100_000_000 + UInt64(h.birthYear % 100) * 1_000_000 + UInt64(h.serial), i))
        }
        keyed.sort { $0.id < $1.id }
        return keyed.map(\.index)
    }

    /// The draws that fix a citizen's ID number; `person` continues from `generator`.
    struct Head {
        var generator: SplitMix64
        var male: Bool
        var age: Int
        var birthYear: Int
        var dob: String
        var centuryDigit: Int
        var serial: Int
    }

    func head(_ i: Int) -> Head {
        var g = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(i) &+ 0x1234_5678)
        let male = g.next() & 1 == 0
        // At least 14 at the campaign's end (born in 2008 or earlier), up to 95; younger adults more common.
        let u = Double(g.next() % 1_000_000) / 1_000_000
        let age = 14 + Int((u * u * 0.55 + u * 0.45) * 81)
        let birthYear = 2023 - age - 1
        let month = Int(g.next() % 12) + 1
        let day = Int(g.next() % 28) + 1
        let dob = pad(birthYear, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        let centuryDigit = (birthYear - 1900) / 100 * 2 + (male ? 0 : 1)
        // A bijection of 0..<10^6, so serials are unique and look scattered.
        let serial = (i &* 7919 &+ Int(seed % 1_000_000)) % 1_000_000
        return Head(generator: g, male: male, age: age, birthYear: birthYear, dob: dob, centuryDigit: centuryDigit, serial: serial)
    }

    func person(_ i: Int, now: Date) -> (Citizen, Card, VNeIDAccount?) {
        let h = head(i)
        var g = h.generator
        let (male, age, birthYear, dob) = (h.male, h.age, h.birthYear, h.dob)
        let id = province + String(h.centuryDigit) + pad(birthYear % 100, 2) + pad(h.serial, 6)

        let surname = Names.pick(Names.surnames, &g)
        let fullName = surname + " " + (male ? Names.pick(Names.maleMiddle, &g) : Names.pick(Names.femaleMiddle, &g)) + " "
            + (male ? Names.pick(Names.maleGiven, &g) : Names.pick(Names.femaleGiven, &g))
        let father = surname + " " + Names.pick(Names.maleMiddle, &g) + " " + Names.pick(Names.maleGiven, &g)
        let mother = Names.pick(Names.surnames, &g) + " Thị " + Names.pick(Names.femaleGiven, &g)
        let spouse: String? = age >= 22 && g.next() % 10 < 7
            ? Names.pick(Names.surnames, &g) + (male ? " Thị " + Names.pick(Names.femaleGiven, &g) : " Văn " + Names.pick(Names.maleGiven, &g)) : nil
        let provinceName = Province.names[province] ?? "Tỉnh \(province)"
        let districts = province == "035" ? Names.haNamDistricts : Names.genericDistricts
        let (district, communes) = districts[Int(g.next() % UInt64(districts.count))]
        let commune = communes[Int(g.next() % UInt64(communes.count))]
        let residence = "Thôn \(Int(g.next() % 12) + 1), \(commune), \(district), \(provinceName)"
        let (oDistrict, oCommunes) = districts[Int(g.next() % UInt64(districts.count))]
        let origin = "\(oCommunes[Int(g.next() % UInt64(oCommunes.count))]), \(oDistrict), \(provinceName)"
        let religionRoll = g.next() % 100
        let religion = religionRoll < 90 ? "Không" : (religionRoll < 97 ? "Công giáo" : "Phật giáo")
        let oldId: String? = age >= 20 ? "168" + pad(Int(g.next() % 1_000_000), 6) : nil
        // Every text below is built from the NFC name tables joined by ASCII: already NFC.
        let citizen = Citizen(alreadyNFC: (), idNumber: id, fullName: fullName, dateOfBirth: dob, sex: male ? "M" : "F", religion: religion,
                              placeOfOrigin: origin, placeOfResidence: residence, identifyingMarks: "Nốt ruồi cách \(g.next() % 4 + 1)cm",
                              fatherName: father, motherName: mother, spouseName: spouse, oldIdNumber: oldId, version: 1, updatedAt: now, source: .seed)

        // Issued between 2021-03-01 and 2023-04-30; expiry from the renewal ages (25, 40, 60;
        // a card issued within 2 years before one of them lasts to the next; none after 60).
        let issueDay = Int(g.next() % 790)
        let issue = Self.addDays("2021-03-01", issueDay)
        var expiry: String?
        for a in [25, 40, 60] {
            let birthday = pad(birthYear + a, 4) + dob.dropFirst(4)
            let issuePlus2 = pad((Int(issue.prefix(4)) ?? 2021) + 2, 4) + issue.dropFirst(4)
            if birthday > issuePlus2 { expiry = birthday; break }
        }
        let card = Card(idNumber: id, dateOfIssue: issue, dateOfExpiry: expiry, status: .handedOver, updatedAt: now, source: .seed)

        // Exactly floor(n × p) active accounts, evenly spread.
        let active = Int((Double(i + 1) * vneidActive).rounded(.down)) > Int((Double(i) * vneidActive).rounded(.down))
        var account: VNeIDAccount?
        let roll = g.next() % 100
        if active {
            account = VNeIDAccount(idNumber: id, status: .active, level: roll < 75 ? 2 : 1, source: .seed,
                                   observedAt: Self.activation(i, seed: seed, issueDay: issueDay, now: now))
        } else if roll < 10 {
            account = VNeIDAccount(idNumber: id, status: .approved, level: 2, source: .seed, observedAt: now)
        } else if roll < 16 {
            account = VNeIDAccount(idNumber: id, status: .pending, level: roll < 13 ? 2 : 1, source: .seed, observedAt: now)
        } else if roll < 18 {
            account = VNeIDAccount(idNumber: id, status: .locked, level: 2, reason: .request, source: .seed, observedAt: now)
        }
        return (citizen, card, account)
    }

    /// When an active account was activated: after the card's issue (level 2 reads the chip) and
    /// before the campaign's end, more often late than early (the campaign gathered pace), at
    /// 10:00 Vietnam time; never after `now`. Drawn from a generator of its own so that adding it
    /// left every other draw, and so every earlier seeded store, unchanged.
    static func activation(_ i: Int, seed: UInt64, issueDay: Int, now: Date) -> Date {
        var g = SplitMix64(seed: seed &* 0xD1B5_4A32_D192_ED03 ^ UInt64(i) &+ 0x51ED_270B)
        let campaignStart = ISODate.days(year: 2021, month: 3, day: 1)
        let span = ISODate.days(year: 2023, month: 6, day: 30) - campaignStart - issueDay
        let late = max(g.next() % 1_000_000, g.next() % 1_000_000)
        let day = campaignStart + issueDay + Int(late) * max(0, span) / 1_000_000
        return min(now, Date(timeIntervalSince1970: Double(day) * 86_400 + 3 * 3600))
    }

    static func addDays(_ iso: String, _ n: Int) -> String { ISODate.adding(days: n, to: iso) ?? iso }

    private func pad(_ v: Int, _ w: Int) -> String { ISODate.pad(v, w) }
}

/// A small, fast, seedable generator (Steele, Lea & Flood 2014): reproducible across platforms.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
