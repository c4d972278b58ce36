import CardSimulator
import CCCD
@testable import Console
import Foundation
import MRTD
import PCSC
import Registry
import SimulatorHarness
import Station
import Testing

/// The console in a real browser: headless Chromium through chromedriver, the console in-process on
/// 127.0.0.1, simulated cards in the vpcd virtual readers. Each scenario saves a screenshot under
/// `.build/console-screenshots/`. Never skipped in CI; skipped locally only without Chromium.
@Suite(.serialized, .enabled(if: !WebDriver.unavailableLocally, "chromium and chromium-driver are not installed"))
struct ConsoleBrowserTests {
    static let sample = CitizenRecord.sample

    /// The reader id the page uses for a vpcd slot (`r1`, `r2` in order of appearance).
    static func panel(_ slot: Int) -> String {
        "([...document.querySelectorAll('article.card')].find(a => a.querySelector('.reader-name').textContent === '\(VirtualReader.names[slot])') || null)"
    }

    /// Waits until the CAN field of the panel for `slot` has the focus, then types `key` and Enter.
    static func typeKey(_ driver: WebDriver, slot: Int, _ key: String, focusFirst: Bool = false) async throws {
        let panel = panel(slot)
        if focusFirst {
            // Another card arriving takes the focus: (re)focus this one until it holds it.
            try await driver.waitUntil("the CAN field of slot \(slot)",
                                       "const p = \(panel); if (!p || p.querySelector('form').hidden) return false; const i = p.querySelector('input'); i.focus(); return document.activeElement === i;")
        }
        try await driver.waitUntil("the CAN field of slot \(slot) to have the focus",
                                   "const p = \(panel); return !!p && !p.querySelector('form').hidden && document.activeElement === p.querySelector('input');")
        try await driver.typeIntoFocused(key + "\u{E007}")
    }

    static func verdict(_ driver: WebDriver, slot: Int) async throws -> String {
        try await driver.string("const p = \(panel(slot)); const v = p && p.querySelector('.verdict'); return v ? v.dataset.verdict : '';")
    }

    @Test func genuineCardAppearsWithNameAndVerdictWithinTwoSeconds() async throws {
        let chip = try SimulatedChip(profile: .sample)
        try await ConsoleHarness.scenario(ConsoleHarness.configuration(trust: try ConsoleHarness.trust(for: chip))) { driver, console in
            try await Slots.present(chip, slot: 0) { card in
                try await Self.typeKey(driver, slot: 0, chip.card.can)
                try await driver.waitUntil("the verdict", "const p = \(Self.panel(0)); return !!p && !!p.querySelector('.verdict') && p.innerText.includes('\(Self.sample.fullName)');")
                let now = ContinuousClock.now
                let elapsed = now - card.detectedAt
                print("console: genuine card shown \(elapsed) after the reader reported it (\(now - card.insertedAt) after vpcd insertion)")
                #expect(elapsed < .seconds(2), "name and verdict appeared \(elapsed) after the reader reported the card")
                #expect(try await Self.verdict(driver, slot: 0) == "genuine")
                let text = try await driver.string("return \(Self.panel(0)).innerText;")
                #expect(text.contains(Self.sample.idNumber))
                #expect(text.contains("01/02/1999"))
                #expect(text.contains("Quê quán") && text.contains("(Place of origin)"))
                #expect(text.contains("THẺ THẬT"))
                // The photo is served from memory and decodes in the browser.
                try await driver.waitUntil("the photo", "const i = \(Self.panel(0)).querySelector('img.photo'); return !!i && i.complete && i.naturalWidth > 0;")
                try await driver.screenshot("genuine")
            }
        }
    }

    @Test func wrongCANSaysSoAndAllowsOneRetry() async throws {
        let chip = try SimulatedChip(profile: .sample)
        try await ConsoleHarness.scenario(ConsoleHarness.configuration(trust: try ConsoleHarness.trust(for: chip))) { driver, console in
            try await Slots.present(chip, slot: 0) { _ in
                try await Self.typeKey(driver, slot: 0, "000000")
                try await driver.waitUntil("the wrong-CAN message", "return \(Self.panel(0)).innerText.includes('Sai CAN');")
                try await driver.screenshot("wrong-can")
                // The field has the focus again: the retry is typed straight away.
                try await Self.typeKey(driver, slot: 0, chip.card.can)
                try await driver.waitUntil("the verdict after the retry", "const v = \(Self.panel(0)).querySelector('.verdict'); return !!v;")
                #expect(try await Self.verdict(driver, slot: 0) == "genuine")
            }
        }
    }

    @Test func rejectedCardShowsTheFailingCheck() async throws {
        var faults = CardFaults()
        faults.corruptSODSignature = true
        let chip = try SimulatedChip(profile: .sample, faults: faults)
        try await ConsoleHarness.scenario(ConsoleHarness.configuration(trust: try ConsoleHarness.trust(for: chip))) { driver, console in
            try await Slots.present(chip, slot: 0) { _ in
                try await Self.typeKey(driver, slot: 0, chip.card.can)
                try await driver.waitUntil("the verdict", "return !!\(Self.panel(0)).querySelector('.verdict');")
                #expect(try await Self.verdict(driver, slot: 0) == "rejected")
                let failing = try await driver.string(
                    "return [...\(Self.panel(0)).querySelectorAll('li.check-bad')].map(li => li.dataset.check + ':' + li.dataset.code).join(',');")
                #expect(failing.contains("passive:sodSignatureInvalid") || failing.hasPrefix("passive:"), "failing checks: \(failing)")
                #expect(try await driver.string("return \(Self.panel(0)).querySelector('.verdict').innerText;").contains("TỪ CHỐI"))
                try await driver.screenshot("rejected")
            }
        }
    }

    /// The registry link: citizen found, card status, VNeID status and level, each discrepancy with
    /// the card's value beside the record's, and the alerts on top.
    @Test func registryLinkShowsAlertsAndDiscrepancies() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let store = InMemoryRegistryStore()
        try await store.migrate()
        let c = Self.sample
        var record = Self.citizen(c)
        record.placeOfResidence = "Số 9, Phố Khác, Hà Nội"
        _ = try await store.bulkInsert(Mutation(
            citizens: [record],
            cards: [Card(idNumber: c.idNumber, dateOfIssue: c.dateOfIssue, dateOfExpiry: c.dateOfExpiry, status: .revoked)],
            accounts: [VNeIDAccount(idNumber: c.idNumber, status: .active, level: 2, source: .registry, observedAt: Date())]),
            device: "console-test")
        let config = ConsoleHarness.configuration(trust: try ConsoleHarness.trust(for: chip), store: store)
        try await ConsoleHarness.scenario(config) { driver, console in
            try await Slots.present(chip, slot: 0) { _ in
                try await Self.typeKey(driver, slot: 0, chip.card.can)
                try await driver.waitUntil("the registry link", "const p = \(Self.panel(0)); return !!p && !!p.querySelector('.alerts');")
                let alerts = try await driver.string("return [...\(Self.panel(0)).querySelectorAll('.alerts li')].map(li => li.dataset.code).join(',');")
                #expect(alerts.contains("cardRevoked") && alerts.contains("dataMismatch"), "alerts: \(alerts)")
                // The alerts come right after the verdict, before the person.
                #expect(try await driver.string("return \(Self.panel(0)).querySelector('.verdict').nextElementSibling.className;") == "alerts")
                let row = try await driver.string("""
                    return [...\(Self.panel(0)).querySelectorAll('table.discrepancies tr')].map(tr => tr.innerText).find(t => t.startsWith('placeOfResidence')) || '';
                    """)
                #expect(row.contains(c.placeOfResidence) && row.contains("Số 9, Phố Khác, Hà Nội"), "row: \(row)")
                let text = try await driver.string("return \(Self.panel(0)).querySelector('.registry-grid').innerText;")
                // The registry's own rule: a revoked card locks the account (level kept, reason cardRevoked).
                #expect(text.contains("Có trong cơ sở dữ liệu") && text.contains("revoked") && text.contains("locked · mức (level) 2 · cardRevoked"), "\(text)")
                try await driver.screenshot("registry-alerts")
            }
        }
    }

    /// Personal data leaves the DOM (and the server) when the card is removed, and after
    /// `clearAfter` seconds while it stays.
    @Test func removingTheCardOrWaitingClearsPersonalData() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let personal = "const t = document.body.innerText; return !t.includes('\(Self.sample.fullName)') && !t.includes('\(Self.sample.idNumber)') && !document.querySelector('img.photo') && !document.querySelector('[data-personal]');"
        try await ConsoleHarness.scenario(ConsoleHarness.configuration(trust: try ConsoleHarness.trust(for: chip), clearAfter: 3)) { driver, console in
            var photoURL = ""
            try await Slots.present(chip, slot: 0) { card in
                try await Self.typeKey(driver, slot: 0, chip.card.can)
                try await driver.waitUntil("the name", "return document.body.innerText.includes('\(Self.sample.fullName)');")
                photoURL = try await driver.string("return document.querySelector('img.photo').getAttribute('src');")
                try await card.remove()
                try await driver.waitUntil("the personal data to leave the page", personal)
                try await driver.screenshot("removed")
            }
            // The server dropped it too: the state has no name, the photo URL is dead.
            let state = try RawHTTP.request("GET", port: console.port, path: "/api/state")
            #expect(!state.body.contains(Self.sample.fullName) && !state.body.contains(Self.sample.idNumber))
            #expect(try RawHTTP.request("GET", port: console.port, path: photoURL).status == 404)
            // Left on the reader, the card's data goes after clearAfter (3 s).
            try await Slots.present(chip, slot: 0) { _ in
                try await Self.typeKey(driver, slot: 0, chip.card.can)
                try await driver.waitUntil("the name", "return document.body.innerText.includes('\(Self.sample.fullName)');")
                let cleared = try await driver.waitUntil("clear-after", timeout: .seconds(8), personal)
                print("console: personal data cleared \(cleared) after it was shown (clear-after 3 s)")
                #expect(try await driver.string("return \(Self.panel(0)).innerText;").contains("Đã xoá dữ liệu"))
            }
        }
    }

    @Test func twoReadersAtOnceShowTwoCards() async throws {
        let first = try SimulatedChip(profile: .sample)
        let second = try SimulatedChip(profile: ConsoleHarness.otherProfile())
        try await ConsoleHarness.scenario(ConsoleHarness.configuration(trust: try ConsoleHarness.trust(for: first))) { driver, console in
            try await Slots.present(first, slot: 0) { _ in
                try await Slots.present(second, slot: 1) { _ in
                    // Both cards are in and waiting for their CAN before either is typed.
                    try await driver.waitUntil("both CAN fields", "return [...document.querySelectorAll('article.card form')].filter(f => !f.hidden).length === 2;")
                    try await Self.typeKey(driver, slot: 0, first.card.can, focusFirst: true)
                    try await Self.typeKey(driver, slot: 1, second.card.can, focusFirst: true)
                    try await driver.waitUntil("two verdicts", timeout: .seconds(15), "return document.querySelectorAll('article.card .verdict').length === 2;")
                    #expect(try await Self.verdict(driver, slot: 0) == "genuine")
                    #expect(try await Self.verdict(driver, slot: 1) == "genuine")
                    let text = try await driver.string("return document.getElementById('cards').innerText;")
                    #expect(text.contains(Self.sample.fullName) && text.contains("Trần Thị Bích"))
                    let readers = try await driver.string("return [...document.querySelectorAll('#reader-list li')].map(li => li.innerText).join('|');")
                    #expect(readers.contains(VirtualReader.names[0]) && readers.contains(VirtualReader.names[1]))
                    try await driver.screenshot("two-readers")
                }
            }
        }
    }

    static func citizen(_ c: CitizenRecord) -> Citizen {
        Citizen(idNumber: c.idNumber, fullName: c.fullName, dateOfBirth: c.dateOfBirth, sex: c.sex, placeOfOrigin: c.placeOfOrigin,
                placeOfResidence: c.placeOfResidence, identifyingMarks: c.identifyingMarks, fatherName: c.fatherName,
                motherName: c.motherName, spouseName: c.spouseName, oldIdNumber: c.oldIdNumber)
    }

    /// Station mode on the library's verify-printed check: three cards on one reader — one printed
    /// card that verifies (opened with its record's CAN, nothing typed), one printed card whose
    /// signature is broken (reprint), one card of no printed record (error) — count verified 1,
    /// reprint 1, error 1; the verified card is handed over with the operator token after a
    /// confirming read, and the registry says so.
    @Test func stationModeCountsABatchAndHandsOver() async throws {
        let good = try SimulatedChip(profile: .sample)
        var faults = CardFaults()
        faults.corruptSODSignature = true
        let otherProfile = ConsoleHarness.otherProfile()
        let broken = try SimulatedChip(profile: otherProfile, faults: faults)
        var strangerProfile = ConsoleHarness.otherProfile()
        strangerProfile.citizen.idNumber = "035188000111"
        strangerProfile.can = "999999"
        let stranger = try SimulatedChip(profile: strangerProfile)
        let store = InMemoryRegistryStore()
        try await store.migrate()
        let a = Self.sample, b = otherProfile.citizen
        _ = try await store.bulkInsert(Mutation(
            citizens: [Self.citizen(a), Self.citizen(b)],
            cards: [Card(idNumber: a.idNumber, dateOfIssue: a.dateOfIssue, dateOfExpiry: a.dateOfExpiry, status: .printed, can: good.card.can),
                    Card(idNumber: b.idNumber, dateOfIssue: b.dateOfIssue, dateOfExpiry: b.dateOfExpiry, status: .printed, can: broken.card.can)]),
            device: "console-test")
        let config = ConsoleHarness.configuration(trust: try ConsoleHarness.trust(for: good), mode: .station("Phủ Lý 1"), store: store)
        try await ConsoleHarness.scenario(config) { driver, console in
            try await driver.execute("sessionStorage.setItem('cccd-console-token', arguments[0]);", [ConsoleHarness.token])
            try await driver.open(console.url)
            try await Slots.present(good, slot: 0) { _ in
                // Nothing typed: the printed card's record holds its CAN.
                try await driver.waitUntil("the verified card", "return !!\(Self.panel(0)) && !!\(Self.panel(0)).querySelector('button.hand-over');")
                #expect(try await Self.verdict(driver, slot: 0) == "genuine")
                try await driver.screenshot("station-verified")
                let rid = try await driver.string("return \(Self.panel(0)).dataset.reader;")
                try await driver.click("#hand-over-\(rid)")
                try await driver.waitUntil("the hand-over", "return \(Self.panel(0)).innerText.includes('Đã giao thẻ');")
            }
            try await Slots.present(broken, slot: 0) { _ in
                try await driver.waitUntil("the rejected card", "const p = \(Self.panel(0)); const v = p && p.querySelector('.verdict'); return !!v && v.dataset.verdict === 'rejected';")
                #expect(try await driver.string("return \(Self.panel(0)).innerText;").contains("In lại thẻ"))
            }
            try await Slots.present(stranger, slot: 0) { _ in
                // No printed card's CAN opens it: the page asks for the ID number.
                try await driver.waitUntil("the ID prompt", "const p = \(Self.panel(0)); return !!p && !p.querySelector('form').hidden && p.innerText.includes('số định danh 12 số');")
            }
            try await driver.click("#tab-station")
            try await driver.waitUntil("the counts", "return document.getElementById('total-handed').textContent === '1' && document.getElementById('total-error').textContent === '1';")
            let counts = try await driver.string("return ['verified','reprint','error','handed'].map(k => document.getElementById('total-' + k).textContent).join(',');")
            #expect(counts == "1,1,1,1", "verified,reprint,error,handed = \(counts)")
            let rows = try await driver.string("return document.querySelector('#station-rows').innerText;")
            // Both printed cards have left the queue (verified, reprint): nothing to open the third with.
            #expect(rows.contains("noAccessKey"), "\(rows)")
            #expect(try await driver.string("return document.getElementById('station-classifier').innerText;").contains("PrintedCardVerifier"))
            try await driver.screenshot("station-batch")
        }
        #expect(try await store.snapshot(a.idNumber).cards.first?.storedStatus == .handedOver)
        #expect(try await store.snapshot(b.idNumber).cards.first?.storedStatus == .reprint)
    }

    @Test func campaignShowsTheSeededHaNamFigures() async throws {
        let store = InMemoryRegistryStore()
        try await store.migrate()
        let province = try SyntheticProvince(province: "035", citizens: 400, vneidActive: 0.668, seed: 7)
        let seeded = province.batch(0..<400, now: Date())
        _ = try await store.bulkInsert(seeded, device: "console-test")
        // Two mobile teams met the first 120 citizens.
        let met = seeded.citizens.prefix(120).enumerated().map { i, c in
            EventDraft(at: Date(), kind: .read, idNumber: c.idNumber, team: i % 2 == 0 ? "Đội 1" : "Đội 2", body: [:])
        }
        try await store.transact(ids: [], device: "team-laptop") { _ in (Mutation(events: met), ()) }
        let stats = try await store.stats(province: nil, today: ISODate.day(of: Date()))
        #expect(stats.citizens == 400 && stats.activationByDistrict.count == 6 && stats.activationByTeam.count == 2)
        var config = ConsoleHarness.configuration(trust: TrustStore(), store: store)
        config.readers = .list(["no such reader — campaign only"])
        try await ConsoleHarness.with(config) { console in
            try await ConsoleHarness.withBrowser { driver in
                try await driver.open(console.url)
                try await driver.waitUntil("the page", "return document.getElementById('connection').classList.contains('conn-ok');")
                try await driver.click("#tab-campaign")
                try await driver.waitUntil("the charts", "return document.querySelectorAll('#campaign-charts svg').length === 8;")
                func figure(_ key: String) async throws -> String {
                    try await driver.string("return document.querySelector('[data-figure=\(key)] dd').textContent;")
                }
                #expect(try await figure("citizens") == "400")
                #expect(try await figure("eligibleCitizens") == SVGChart.number(stats.eligibleCitizens))
                #expect(try await figure("cards") == SVGChart.number(stats.cards))
                #expect(try await figure("coverage") == SVGChart.percent(stats.coverage))
                #expect(try await figure("vneidActive") == SVGChart.number(stats.accountsByStatus["active", default: 0]))
                #expect(try await figure("activationRate") == SVGChart.percent(stats.activationRate))
                // The charts are the server's SVG, with the same numbers in their text.
                let vneid = try await driver.string("return document.querySelector('[data-chart=vneid] svg').textContent;")
                #expect(vneid.contains(SVGChart.number(stats.accountsByStatus["active", default: 0])))
                #expect(stats.accountsByStatus["active", default: 0] > 0 && stats.cards > 0)
                // Activation over time: a drawn line per district, each legend with its latest rate.
                let lines = try await driver.string("""
                    return Array.from(document.querySelectorAll('[data-chart=activationByDistrict] path.line'))
                      .filter(p => p.getBBox().width > 300 && getComputedStyle(p).stroke !== 'none').length.toString();
                    """)
                #expect(lines == "6")
                let legend = try await driver.string("return document.querySelector('[data-chart=activationByDistrict] svg').textContent;")
                for d in stats.activationByDistrict {
                    let last = try #require(d.months.last)
                    #expect(legend.contains("\(d.name): \(SVGChart.percent(d.rate(last)))"))
                }
                let teams = try await driver.string("return document.querySelector('[data-chart=activationByTeam] svg').textContent;")
                #expect(teams.contains("Đội 1: ") && teams.contains("Đội 2: "))
                try await driver.screenshot("campaign")
                _ = try await driver.execute("document.querySelector('[data-chart=activationByDistrict]').scrollIntoView();")
                try await driver.screenshot("campaign-activation")
            }
        }
    }

    /// No CDN, no web font, no external anything: the browser fetched only the console's own URLs,
    /// the DOM names no other origin, and the headers forbid inline script.
    @Test func thePageLoadsNoExternalResourceAndSetsAStrictPolicy() async throws {
        let chip = try SimulatedChip(profile: .sample)
        try await Slots.withBoth {
            try await ConsoleHarness.with(ConsoleHarness.configuration(trust: try ConsoleHarness.trust(for: chip))) { console in
                try await ConsoleHarness.withBrowser { driver in
                    try await driver.open(console.url)
                    try await Slots.present(chip, slot: 0) { _ in
                        try await Self.typeKey(driver, slot: 0, chip.card.can)
                        try await driver.waitUntil("the photo", "const i = document.querySelector('img.photo'); return !!i && i.complete && i.naturalWidth > 0;")
                        let origin = "http://127.0.0.1:\(console.port)"
                        let resources = try await driver.string("return performance.getEntriesByType('resource').map(e => e.name).join('\\n');")
                        let names = resources.split(separator: "\n").map(String.init)
                        #expect(names.count >= 3, "resources: \(names)")
                        for name in names { #expect(name.hasPrefix(origin + "/"), "external resource \(name)") }
                        let external = try await driver.string("""
                            return [...document.querySelectorAll('[src],[href]')].map(e => e.getAttribute('src') || e.getAttribute('href'))
                                .filter(u => /^[a-z]+:/i.test(u) || u.startsWith('//')).join(',');
                            """)
                        #expect(external.isEmpty, "external URLs in the DOM: \(external)")
                        #expect(try await driver.string("return [...document.scripts].filter(s => !s.src).length.toString();") == "0")
                    }
                }
                for path in ["/", "/app.js", "/api/state"] {
                    let reply = try RawHTTP.request("GET", port: console.port, path: path)
                    #expect(reply.status == 200)
                    #expect(reply.headers["content-security-policy"] == SecurityHeaders.contentSecurityPolicy)
                    #expect(reply.headers["content-security-policy"]?.contains("unsafe-inline") == false)
                    #expect(reply.headers["x-content-type-options"] == "nosniff")
                    #expect(reply.headers["referrer-policy"] == "no-referrer")
                    #expect(reply.headers["cache-control"] == "no-store")
                }
            }
        }
    }

    /// A real request from the machine's non-loopback address (to the console on 127.0.0.1, so no
    /// traffic leaves the machine) without the token is refused; with it, served. Actions need the
    /// token from loopback too; a POST without the console's header and a foreign Host are refused.
    @Test func aNonLoopbackPeerWithoutTheTokenIsRefused() async throws {
        let config = ConsoleHarness.configuration(trust: TrustStore())
        try await ConsoleHarness.with(config) { console in
            let bearer = ["Authorization": "Bearer \(ConsoleHarness.token)"]
            if let address = RawHTTP.nonLoopbackAddress() {
                let refused = try RawHTTP.request("GET", port: console.port, path: "/api/state", from: address)
                #expect(refused.status == 401, "from \(address): \(refused.status)")
                #expect(try RawHTTP.request("GET", port: console.port, path: "/api/events", from: address).status == 401)
                #expect(try RawHTTP.request("GET", port: console.port, path: "/api/state", headers: ["Authorization": "Bearer wrong"], from: address).status == 401)
                let allowed = try RawHTTP.request("GET", port: console.port, path: "/api/state", headers: bearer, from: address)
                #expect(allowed.status == 200)
                // The shell (no personal data) loads, so the page can ask for the token.
                #expect(try RawHTTP.request("GET", port: console.port, path: "/", from: address).status == 200)
            } else {
                // A machine with loopback only: the same decision, with the peer address injected.
                let policy = PeerPolicy(tokenHash: config.tokenHash, host: "127.0.0.1", port: console.port)
                #expect(policy.decide(peer: "10.1.2.3", hostHeader: "127.0.0.1:\(console.port)", authorization: nil, pageHeader: nil,
                                      isPost: false, access: .data) == .unauthorized)
            }
            #expect(try RawHTTP.request("GET", port: console.port, path: "/api/state").status == 200)
            #expect(try RawHTTP.request("POST", port: console.port, path: "/api/readers/r1/hand-over", headers: ["X-CCCD-Console": "1"]).status == 401)
            #expect(try RawHTTP.request("POST", port: console.port, path: "/api/readers/r1/key", headers: ["Content-Type": "application/json"],
                                        body: #"{"key":"123456"}"#).status == 403)
            #expect(try RawHTTP.request("GET", port: console.port, path: "/api/state", host: "evil.example:\(console.port)").status == 403)
        }
    }
}
