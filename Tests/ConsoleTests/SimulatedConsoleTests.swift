import Foundation
import Testing

/// `cccd console --simulated`, the README's demo command, as a subprocess: the built-in card is
/// shown and marked simulated. Its screenshot is the README's picture.
@Suite(.serialized, .enabled(if: !WebDriver.unavailableLocally, "chromium and chromium-driver are not installed"))
struct SimulatedConsoleTests {
    /// The `cccd` binary next to the test bundle.
    static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("cccd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/cccd")
    }

    @Test func theDemoCommandShowsTheBuiltInCardMarkedSimulated() async throws {
        let process = Process()
        process.executableURL = Self.executable
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("console-demo-\(UUID().uuidString).sha256").path
        process.arguments = ["console", "--simulated", "--listen", "127.0.0.1:0", "--token-file", tokenFile]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let (lines, continuation) = AsyncStream<String>.makeStream()
        let buffer = TestLocked("")
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { continuation.finish(); return }
            buffer.withLock { $0 += String(decoding: data, as: UTF8.self) }
            if let line = buffer.withLock({ $0.split(separator: "\n").first.map(String.init) }) { continuation.yield(line) }
        }
        try process.run()
        defer {
            process.interrupt()
            process.waitUntilExit()
            out.fileHandleForReading.readabilityHandler = nil
        }
        var iterator = lines.makeAsyncIterator()
        guard let line = await iterator.next(), let range = line.range(of: "http://") else {
            Issue.record("cccd console printed no URL")
            return
        }
        let url = String(line[range.lowerBound...]).trimmingCharacters(in: .whitespaces)
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

/// A lock-protected value (tests only).
final class TestLocked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
