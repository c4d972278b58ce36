import CCCDTestSupport
import Foundation
import Testing

/// `cccd console --simulated`, the README's demo command, as a subprocess: the built-in card is
/// shown and marked simulated. Its screenshot is the README's picture.
@Suite(.serialized, .enabled(if: !WebDriver.unavailableLocally, "chromium and chromium-driver are not installed"))
struct SimulatedConsoleTests {
    @Test func theDemoCommandShowsTheBuiltInCardMarkedSimulated() async throws {
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("console-demo-\(UUID().uuidString).sha256").path
        let console = try CCCDProcess(["console", "--simulated", "--listen", "127.0.0.1:0", "--token-file", tokenFile])
        defer {
            console.interrupt()
            console.process.waitUntilExit()
        }
        guard let url = await console.url() else {
            Issue.record("cccd console printed no URL: \(console.stderr)")
            return
        }
        #expect(url.hasPrefix("http://127.0.0.1:"))
        try await ConsoleHarness.withBrowser { driver in
            try await driver.open(url)
            try await driver.waitUntil("the simulated card", timeout: .seconds(60),
                                       "const v = document.querySelector('.verdict'); return !!v && v.dataset.verdict === 'simulated-genuine';")
            #expect(try await driver.string("return document.getElementById('simulated-banner').hidden ? 'hidden' : 'shown';") == "shown")
            #expect(try await driver.string("return document.querySelector('.verdict').innerText;").contains("THẺ MÔ PHỎNG"))
            try await driver.waitUntil("the photo", "const i = document.querySelector('img.photo'); return !!i && i.complete && i.naturalWidth > 0;")
            try await driver.screenshot("simulated")
        }
    }
}
