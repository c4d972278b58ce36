import CCCDTestSupport
import Foundation

/// A minimal W3C WebDriver client: chromedriver on 127.0.0.1 (a free port), headless Chromium,
/// plain HTTP JSON over a socket (swift-corelibs URLSession rejects chromedriver's header lines,
/// "Content-Length:251" without a space, as "Failed writing header"). Enough to load the console, run a script, type into the focused field and take
/// screenshots.
final class WebDriver: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// True when the browser is missing and we are not in CI: the browser suite is skipped locally
    /// only; in CI a missing browser fails the suite.
    static var unavailableLocally: Bool {
        (chromium == nil || chromedriver == nil) && ProcessInfo.processInfo.environment["CI"] == nil
    }

    private let process: Process
    let port: Int
    private(set) var session = ""

    init() async throws {
        guard let driver = Self.chromedriver, let browser = Self.chromium else {
            throw Failure(description: "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
        }
        let port = try FreePort.pick()
        process = Process()
        process.executableURL = URL(fileURLWithPath: driver)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1", "--log-level=OFF"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.port = port
        var ready = false
        for _ in 0..<100 {
            if let status = try? await call("GET", "/status"), (status["value"] as? [String: Any])?["ready"] as? Bool == true {
                ready = true
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard ready else {
            stop()
            throw Failure(description: "chromedriver did not start on port \(port)")
        }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": [
                "binary": browser,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,1100",
                         "--lang=vi-VN", "--no-first-run", "--disable-extensions", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--disable-default-apps"],
            ],
        ]]]
        do {
            let created = try await call("POST", "/session", capabilities)
            guard let value = created["value"] as? [String: Any], let id = value["sessionId"] as? String else {
                throw Failure(description: "no session: \(created)")
            }
            session = id
        } catch {
            stop()
            throw error
        }
    }

    /// Ends the browser session and chromedriver.
    func quit() async {
        if !session.isEmpty { _ = try? await call("DELETE", "/session/\(session)") }
        stop()
    }

    /// chromedriver ignores SIGTERM when the test process ignores it (the disposition is
    /// inherited), so it is killed outright; its browser ended with the session.
    private func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func open(_ url: String) async throws {
        _ = try await call("POST", "/session/\(session)/url", ["url": url])
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    @discardableResult
    func execute(_ script: String, _ args: [Any] = []) async throws -> Any? {
        let r = try await call("POST", "/session/\(session)/execute/sync", ["script": script, "args": args])
        let value = r["value"]
        return value is NSNull ? nil : value
    }

    func string(_ script: String, _ args: [Any] = []) async throws -> String {
        (try await execute(script, args) as? String) ?? ""
    }

    /// Types into the element that has the focus (what an operator's keyboard does). `\u{E007}` is Enter.
    func typeIntoFocused(_ text: String) async throws {
        let active = try await call("GET", "/session/\(session)/element/active")
        guard let value = active["value"] as? [String: Any], let element = value.values.first as? String else {
            throw Failure(description: "no focused element")
        }
        _ = try await call("POST", "/session/\(session)/element/\(element)/value", ["text": text])
    }

    /// Clicks the first element matching `css`.
    func click(_ css: String) async throws {
        let found = try await call("POST", "/session/\(session)/element", ["using": "css selector", "value": css])
        guard let value = found["value"] as? [String: Any], let element = value.values.first as? String else {
            throw Failure(description: "no element \(css)")
        }
        _ = try await call("POST", "/session/\(session)/element/\(element)/click", [String: Any]())
    }

    /// Saves a PNG of the page to `.build/console-screenshots/NAME.png` and returns its path.
    @discardableResult
    func screenshot(_ name: String) async throws -> String {
        let r = try await call("GET", "/session/\(session)/screenshot")
        guard let b64 = r["value"] as? String, let png = Data(base64Encoded: b64) else { throw Failure(description: "no screenshot") }
        let dir = ConsolePaths.screenshots
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = "\(dir)/\(name).png"
        try png.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Polls `script` until it returns true (or `timeout` passes); returns the time it took.
    @discardableResult
    func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ script: String) async throws -> Duration {
        let start = ContinuousClock.now
        while true {
            if (try? await execute(script)) as? Bool == true { return .now - start }
            if ContinuousClock.now - start > timeout {
                throw Failure(description: "timed out after \(timeout) waiting for \(what)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        var text = ""
        var headers: [String: String] = [:]
        if let body {
            text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            headers["Content-Type"] = "application/json; charset=utf-8"
        }
        let reply = try await RawHTTP.requestOffPool(method, port: port, path: path, headers: headers, body: text)
        let json = (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
        if reply.status >= 400 {
            let message = ((json["value"] as? [String: Any])?["message"] as? String) ?? String(reply.body.prefix(300))
            throw Failure(description: "WebDriver \(method) \(path): \(reply.status) \(message)")
        }
        return json
    }
}

enum ConsolePaths {
    /// `.build/console-screenshots` of the package (found from this file's path).
    static var screenshots: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/console-screenshots").path
    }
}
