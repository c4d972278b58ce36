import Foundation
import Registry
import Testing

/// The domain rules as pure functions: no store, no card.
struct RulesTests {
    @Test func illegalCardTransitionNamesBothStates() throws {
        #expect(throws: RegistryError.illegalCardTransition(from: .revoked, to: .handedOver)) { try CardStatus.revoked.checkTransition(to: .handedOver) }
        #expect(throws: RegistryError.illegalCardTransition(from: .ordered, to: .handedOver)) { try CardStatus.ordered.checkTransition(to: .handedOver) }
        #expect("\(RegistryError.illegalCardTransition(from: .revoked, to: .handedOver))" == "illegal card transition revoked → handedOver")
        #expect(throws: RegistryError.expiryIsDerived) { try CardStatus.handedOver.checkTransition(to: .expired) }
        for (a, b) in [(CardStatus.ordered, CardStatus.printed), (.printed, .verified), (.verified, .handedOver), (.handedOver, .reportedLost),
                       (.handedOver, .revoked), (.handedOver, .replaced), (.reportedLost, .handedOver)] {
            try a.checkTransition(to: b)
        }
    }

    /// Only the station's chip check makes a printed card `verified`, and only a verified card (or
    /// a lost one whose chip a genuine read recorded) is handed over by an officer or a device. The
    /// centre's own feed (a card an import recorded as handed over elsewhere) still applies.
    @Test func noOfficerOrDeviceSkipsTheStationsChipCheck() throws {
        func change(_ status: CardStatus, chip: Bool = false, to next: CardStatus, _ origin: ChangeOrigin) throws -> Mutation {
            var card = Fixtures.card(status: status)
            if chip { card.chip = ChipEvidence(sodSHA256: String(repeating: "ab", count: 32), signerIssuer: "CN=DS", signerSerial: "01") }
            return try StatusChanges.setCard(Snapshot(citizen: Fixtures.citizen(), cards: [card]), idNumber: Fixtures.id, dateOfIssue: "2021-05-10",
                                             to: next, source: .officer, context: Fixtures.context, now: Fixtures.t0, origin: origin)
        }
        for origin in [ChangeOrigin.officer, .deviceEvent] {
            #expect(throws: RegistryError.handOverUnverified(from: .printed)) { try change(.printed, chip: true, to: .handedOver, origin) }
            #expect(throws: RegistryError.handOverUnverified(from: .reportedLost)) { try change(.reportedLost, to: .handedOver, origin) }
            #expect(try change(.reportedLost, chip: true, to: .handedOver, origin).cards.first?.storedStatus == .handedOver)
            #expect(try change(.verified, to: .handedOver, origin).cards.first?.storedStatus == .handedOver)
            #expect(throws: RegistryError.verifiedOnlyByTheStation) { try change(.printed, to: .verified, origin) }
            // Through the lost state: refused as well.
            let lost = try change(.printed, to: .reportedLost, origin).cards.first
            #expect(lost?.storedStatus == .reportedLost && lost?.chip == nil)
        }
        // An officer never verifies; a device's verification counts once its read gave the centre the chip.
        #expect(throws: RegistryError.verifiedOnlyByTheStation) { try change(.printed, chip: true, to: .verified, .officer) }
        #expect(try change(.printed, chip: true, to: .verified, .deviceEvent).cards.first?.storedStatus == .verified)
        // The centre's feed: the lifecycle only.
        #expect(try change(.printed, to: .handedOver, .centreFeed).cards.first?.storedStatus == .handedOver)
        #expect(RegistryError.handOverUnverified(from: .printed).code == "illegalTransition")
        #expect("\(RegistryError.handOverUnverified(from: .printed))".hasPrefix("illegal card transition printed → handedOver"))
        let feed = StatusUpdate(cursor: 1, eventId: "e", kind: .cardStatus, idNumber: Fixtures.id, at: "2025-12-01T00:00:00.000Z",
                                to: "handedOver", dateOfIssue: "2021-05-10")
        let printed = Snapshot(citizen: Fixtures.citizen(), cards: [Fixtures.card(status: .printed)])
        #expect(try feed.mutation(printed, now: Fixtures.t0, origin: .centreFeed).cards.first?.storedStatus == .handedOver)
        #expect(throws: RegistryError.handOverUnverified(from: .printed)) { try feed.mutation(printed, now: Fixtures.t0, origin: .deviceEvent) }
    }

    @Test func aResidencesDistrictIsThePartBeforeTheProvinceWhenItNamesOne() {
        #expect(ResidenceDistrict.of("Thôn 1, Xã Thanh Hà, Huyện Thanh Liêm, Hà Nam") == "Huyện Thanh Liêm")
        #expect(ResidenceDistrict.of("Tổ 3, Phường Quang Trung, Thành phố Phủ Lý, Hà Nam") == "Thành phố Phủ Lý")
        #expect(ResidenceDistrict.of("Số 5,  Quận Ba Đình  , Hà Nội") == "Quận Ba Đình")
        #expect(ResidenceDistrict.of("Thị xã Duy Tiên,Hà Nam") == "Thị xã Duy Tiên")
        // After the 2025 reform an address names commune and province only.
        #expect(ResidenceDistrict.of("Xã Thanh Hà, Tỉnh Ninh Bình") == "")
        #expect(ResidenceDistrict.of("Hà Nam") == "" && ResidenceDistrict.of(nil) == "" && ResidenceDistrict.of("") == "")
        #expect(ResidenceDistrict.of("Huyện, Hà Nam") == "", "a unit word alone names nothing")
    }

    @Test func stationAndTeamNamesAreStoredComposed() {
        let decomposed = "Đội Thanh Liêm".decomposedStringWithCanonicalMapping
        let c = ReadContext(station: "Trạm Phủ Lý".decomposedStringWithCanonicalMapping, team: decomposed, device: "d")
        #expect(Array(c.team?.utf8 ?? "".utf8) == Array("Đội Thanh Liêm".precomposedStringWithCanonicalMapping.utf8))
        #expect(Array(c.station?.utf8 ?? "".utf8) == Array("Trạm Phủ Lý".precomposedStringWithCanonicalMapping.utf8))
    }

    @Test func campaignMonthsAreVietnameseCalendarMonths() {
        #expect(ISODate.vietnamMonth(milliseconds: 1_675_184_400_000) == "2023-02") // 2023-01-31T17:00Z is midnight in Hà Nội
        #expect(ISODate.vietnamMonth(milliseconds: 1_675_184_399_999) == "2023-01")
        #expect(ISODate.vietnamMonth(milliseconds: 0) == "1970-01")
        #expect(ISODate.vietnamMonth(milliseconds: Int.max) == "9999-12" && ISODate.vietnamMonth(milliseconds: Int.min) == "0001-01")
    }

    @Test func expiryIsDerivedFromTheDateAndNoExpiryCardsNeverExpire() {
        let c = Fixtures.card(expiry: "2030-01-01")
        #expect(c.status(on: "2029-12-31") == .handedOver)
        #expect(c.status(on: "2030-01-02") == .expired)
        #expect(Fixtures.card(expiry: nil).status(on: "2199-01-01") == .handedOver)
        #expect(Fixtures.card(expiry: "2030-01-01", status: .revoked).status(on: "2031-01-01") == .revoked)
    }

    @Test func illegalAccountTransitionNamesBothStates() throws {
        #expect(throws: RegistryError.illegalAccountTransition(from: .notRegistered, to: .active)) {
            try VNeIDStatus.notRegistered.checkTransition(to: .active)
        }
        #expect("\(RegistryError.illegalAccountTransition(from: .notRegistered, to: .active))" == "illegal VNeID transition notRegistered → active")
        try VNeIDStatus.approved.checkTransition(to: .active)
        try VNeIDStatus.locked.checkTransition(to: .active)
        #expect(throws: RegistryError.self) { try Fixtures.account(status: .approved).changed(to: .locked, level: nil, reason: nil, source: .officer, at: Fixtures.t0) }
    }

    @Test func revokedCardLocksTheAccount() throws {
        let a = try #require(DerivedRules.account(Fixtures.account(), cards: [Fixtures.card(status: .revoked)], today: "2025-12-01", now: Fixtures.t0))
        #expect(a.status == .locked && a.reason == .cardRevoked && a.source == .derived && a.level == 2)
    }

    @Test func expiredCardLocksUntilANewCardIsHandedOver() throws {
        let old = Fixtures.card(issue: "2016-03-01", expiry: "2024-02-01")
        let locked = try #require(DerivedRules.account(Fixtures.account(), cards: [old], today: "2025-12-01", now: Fixtures.t0))
        #expect(locked.status == .locked && locked.reason == .cardExpired)
        // Still locked while the new card is only printed.
        #expect(DerivedRules.account(locked, cards: [old, Fixtures.card(status: .printed)], today: "2025-12-01", now: Fixtures.t0) == nil)
        let unlocked = try #require(DerivedRules.account(locked, cards: [old, Fixtures.card()], today: "2025-12-01", now: Fixtures.t0))
        #expect(unlocked.status == .active && unlocked.level == 2 && unlocked.reason == nil)
        // A lock on request is not lifted by a new card.
        let onRequest = VNeIDAccount(idNumber: Fixtures.id, status: .locked, level: 2, reason: .request)
        #expect(DerivedRules.account(onRequest, cards: [old, Fixtures.card()], today: "2025-12-01", now: Fixtures.t0) == nil)
    }

    @Test func handingOverReplacesOlderCards() {
        let old = Fixtures.card(issue: "2016-03-01", expiry: "2024-02-01")
        let new = Fixtures.card()
        let r = DerivedRules.replacedBy(new, among: [old, new], now: Fixtures.t0)
        #expect(r.map(\.dateOfIssue) == ["2016-03-01"] && r.first?.storedStatus == .replaced)
    }

    @Test func canonicalJSONSortsKeysAndEscapes() throws {
        let v = JSONValue.object(["b": .int(1), "a": .array([.string("Nguyễn \"A\"\n"), .null, .bool(true)])])
        #expect(v.canonical == #"{"a":["Nguyễn \"A\"\n",null,true],"b":1}"#)
        #expect(try JSONValue(parsing: v.canonical) == v)
    }

    @Test func eventsChainPerDeviceAndTamperingIsNamed() {
        let d1 = EventDraft(id: "e1", at: Fixtures.t0, kind: .read, idNumber: Fixtures.id, body: ["verdict": .string("genuine")])
        let d2 = EventDraft(id: "e2", at: Fixtures.t0, kind: .read, body: [:])
        let e1 = ReadEvent.seal(d1, device: "a", after: nil)
        let e2 = ReadEvent.seal(d2, device: "a", after: (e1.seq, e1.hash))
        #expect(e1.previousHash == ReadEvent.genesis && e2.previousHash == e1.hash && e2.seq == 2)
        #expect(e1.hash == ReadEvent.hashOf(e1.payload))
        var ok = AuditVerifier()
        ok.check(e1); ok.check(e2)
        #expect(ok.result.firstBreak == nil && ok.result.events == 2)
        var altered = e1
        altered.payload = altered.payload.replacingOccurrences(of: "genuine", with: "rejected")
        var v = AuditVerifier()
        v.check(altered); v.check(e2)
        #expect(v.result.firstBreak?.eventId == "e1")
        var missing = AuditVerifier()
        missing.check(e2)
        #expect(missing.result.firstBreak?.seq == 2)
    }

    @Test func everyPrefixOfAnImportLineFails() throws {
        let line = #"{"type":"vneid","idNumber":"035099012345","status":"locked","level":2,"reason":"cardRevoked"}"#
        _ = try ImportRecord(fields: try ImportFormat.jsonLine(line), now: Fixtures.t0)
        for end in line.indices.dropLast() {
            #expect(throws: RegistryError.self) { _ = try ImportRecord(fields: try ImportFormat.jsonLine(String(line[..<end])), now: Fixtures.t0) }
        }
        #expect(throws: RegistryError.self) { _ = try ImportFormat.jsonLine(line + "x") }
        #expect(throws: RegistryError.self) { _ = try ImportFormat.jsonLine(#"{"level": 2.5}"#) }
    }

    @Test func importRowsAreValidated() throws {
        func reason(_ f: [String: JSONValue]) -> String? {
            do { _ = try ImportRecord(fields: f, now: Fixtures.t0); return nil } catch { return "\(error)" }
        }
        #expect(reason(["type": .string("card"), "idNumber": .string("035099012345"), "dateOfIssue": .string("2021-05-10"),
                        "dateOfExpiry": .string("2039-02-01"), "status": .string("expired")]) == "expired is derived from the date of expiry and cannot be set")
        #expect(reason(["type": .string("vneid"), "idNumber": .string("035099012345"), "status": .string("active")]) == "active needs level 1 or 2")
        #expect(reason(["type": .string("citizen"), "idNumber": .string("035099012345"), "fullName": .string("A"),
                        "dateOfBirth": .string("1999-02-01"), "sex": .string("Nữ")]) == nil)
        #expect(reason(["type": .string("person")]) == "unknown type person")
        for bad in ["Thôn 1\u{0}, Huyện X, Hà Nam", "Thôn 1\n, Hà Nam", "\u{1B}[31mThôn 1"] {
            #expect(reason(["type": .string("citizen"), "idNumber": .string("035099012345"), "fullName": .string("A"), "dateOfBirth": .string("1999-02-01"),
                            "sex": .string("M"), "placeOfResidence": .string(bad)]) == "placeOfResidence contains a control character")
        }
    }

    @Test func uuidV7IsTimeOrderedAndVersioned() {
        var g = SplitMix64(seed: 1)
        let a = UUIDv7.make(at: Fixtures.t0, using: &g)
        let b = UUIDv7.make(at: Fixtures.t0.addingTimeInterval(0.002), using: &g)
        #expect(a < b)
        #expect(Array(a)[14] == "7")
        #expect("89ab".contains(Array(a)[19]))
    }

    @Test func csvRowsHandleQuotesCommasAndNewlines() throws {
        let rows = try ImportFormat.csvRows("idNumber,placeOfResidence\n035099012345,\"Thôn 1, Xã A\"\n035099012346,\"say \"\"hi\"\"\nnext\"\n")
        #expect(rows.count == 3)
        #expect(rows[1].fields == ["035099012345", "Thôn 1, Xã A"])
        #expect(rows[2].fields[1] == "say \"hi\"\nnext" && rows[2].line == 3)
    }

    @Test func syntheticProvinceIsDeterministicAndValid() throws {
        let p = try SyntheticProvince(province: "035", citizens: 2000, vneidActive: 0.668, seed: 7)
        let a = p.batch(0..<2000, now: Fixtures.t0), b = p.batch(0..<2000, now: Fixtures.t0)
        #expect(a == b)
        #expect(Set(a.citizens.map(\.idNumber)).count == 2000)
        for c in a.citizens { _ = try c.validate(); #expect(c.idNumber.hasPrefix("035")) }
        #expect(a.accounts.filter { $0.status == .active }.count == 1336)
        for c in a.cards { try c.validate() }
    }
}
