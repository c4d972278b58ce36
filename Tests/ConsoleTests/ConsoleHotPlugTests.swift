import CCCDTestSupport
import CardSimulator
import CCCD
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A reader that appears while the console runs, and a reader service that goes away under it.
///
/// Debian's pcscd (built with libudev) adds only USB readers to a running daemon — `pcscd --hotplug`
/// re-reads reader.conf only in serial builds — and the vpcd readers are there from its start.
/// So the console under test (`cccd console`, a subprocess) and a pcscd of its own run in a private
/// mount namespace with their own `/run/pcscd`: the console starts with no reader service at all,
/// the test then starts that pcscd with one vpcd reader on ports of its own, and later stops it.
/// The shared pcscd the other suites use is never touched.
@Suite(.serialized, .enabled(if: HotPlug.possible, "needs root, unshare, nsenter, pcscd, vpcd and Chromium"))
struct ConsoleHotPlugTests {
    @Test func aReaderPluggedInLaterAppearsReadsAndLeavesWhenUnplugged() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-hotplug-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = try HotPlug.freePortPair()
        let conf = try HotPlug.config(in: dir, name: "reader.conf", port: port)
        let reader = "Hotplug PCD 00 00"

        let console = try HotPlug.console(tokenFile: dir.appendingPathComponent("token.sha256").path)
        defer {
            console.interrupt()
            console.process.waitUntilExit()
        }
        let url = try #require(await console.url(), "cccd console printed no URL (is unshare allowed here?): \(console.stderr)")
        let chip = try SimulatedChip(profile: .sample)
        try await ConsoleHarness.withBrowser { driver in
            try await driver.open(url)
            try await driver.waitUntil("the page", "return document.getElementById('connection').classList.contains('conn-ok');")
            // No reader service yet: the page says so instead of showing an empty, silent list.
            try await driver.waitUntil("the reader-service alert", "const f = document.getElementById('fatal'); return !f.hidden && f.innerText.includes('pcscd');")
            #expect(try await driver.string("return document.querySelectorAll('#reader-list li').length.toString();") == "0")
            try await driver.screenshot("hotplug-no-service")

            // The reader is plugged in.
            let pcscd = try HotPlug.startPCSCD(inNamespaceOf: console.pid, config: conf, log: dir.appendingPathComponent("pcscd.log").path)
            defer { HotPlug.stop(pcscd) }
            let appeared = try await driver.waitUntil("the new reader", """
                const li = [...document.querySelectorAll('#reader-list li')].find(l => l.innerText.includes('\(reader)'));
                return !!li && !li.querySelector('.dot-detached') && document.getElementById('fatal').hidden;
                """)
            print("console: a reader plugged in later appeared \(appeared) after pcscd started")

            // A card on it reads like on any reader.
            let panel = "([...document.querySelectorAll('article.card')].find(a => a.querySelector('.reader-name').textContent === '\(reader)') || null)"
            let bridge = VPCDBridge(card: chip, port: UInt16(port), beforeAnswer: chip.bridgeHook)
            try bridge.start()
            defer { bridge.stop() }
            try await driver.waitUntil("the CAN field of the new reader", timeout: .seconds(15),
                                       "const p = \(panel); return !!p && !p.querySelector('form').hidden && document.activeElement === p.querySelector('input');")
            try await driver.typeIntoFocused(chip.card.can + "\u{E007}")
            try await driver.waitUntil("the card's holder", timeout: .seconds(15),
                                       "const p = \(panel); return !!p && !!p.querySelector('.verdict') && p.innerText.includes('\(CitizenRecord.sample.fullName)');")
            try await driver.screenshot("hotplug-read")

            // The reader service dies (as with the reader pulled out): the reader is shown unplugged,
            // the holder's data leaves the page, and the page says the console is retrying.
            HotPlug.stop(pcscd)
            try await driver.waitUntil("the unplugged reader", """
                const li = [...document.querySelectorAll('#reader-list li')].find(l => l.innerText.includes('\(reader)'));
                return !!li && !!li.querySelector('.dot-detached') && !document.getElementById('fatal').hidden;
                """)
            try await driver.waitUntil("the holder's data to leave the page",
                                       "return !document.body.innerText.includes('\(CitizenRecord.sample.fullName)');")
            #expect(console.isRunning, "the console outlives its reader service")

            // The service is started again (the same reader; vpcd on fresh ports, as the killed
            // daemon's may linger): the console finds it by itself.
            let again = try HotPlug.config(in: dir, name: "reader-again.conf", port: try HotPlug.freePortPair())
            let restarted = try HotPlug.startPCSCD(inNamespaceOf: console.pid, config: again, log: dir.appendingPathComponent("pcscd-2.log").path)
            defer { HotPlug.stop(restarted) }
            try await driver.waitUntil("the reader back after the restart", timeout: .seconds(15), """
                const li = [...document.querySelectorAll('#reader-list li')].find(l => l.innerText.includes('\(reader)'));
                return !!li && !li.querySelector('.dot-detached') && document.getElementById('fatal').hidden;
                """)
        }
    }
}

/// The namespace plumbing for `ConsoleHotPlugTests`.
enum HotPlug {
    static let unshare = ["/usr/bin/unshare", "/bin/unshare"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let nsenter = ["/usr/bin/nsenter", "/bin/nsenter"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let pcscd = ["/usr/sbin/pcscd", "/usr/bin/pcscd"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let vpcdDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"

    /// Always in CI (where `.ci/run` runs as root with everything installed: a missing part fails
    /// the test); locally only when every part is there.
    static var possible: Bool {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        return !WebDriver.unavailableLocally && getuid() == 0 && unshare != nil && nsenter != nil && pcscd != nil
            && FileManager.default.fileExists(atPath: vpcdDriver) && FileManager.default.fileExists(atPath: "/run/pcscd")
    }

    struct Missing: Error, CustomStringConvertible { let description: String }

    /// A reader.conf with one vpcd reader ("Hotplug PCD") listening on `port` and `port + 1`.
    static func config(in dir: URL, name: String, port: Int) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try """
            FRIENDLYNAME "Hotplug PCD"
            DEVICENAME   /dev/null:0x\(String(port, radix: 16))
            LIBPATH      \(vpcdDriver)
            CHANNELID    0x\(String(port, radix: 16))

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A port whose successor is free too (vpcd listens on CHANNELID and CHANNELID + 1, one per slot).
    static func freePortPair() throws -> Int {
        for _ in 0..<50 {
            let p = try FreePort.pick()
            if p < 65535, canBind(p + 1) { return p }
        }
        throw Missing(description: "no two consecutive free ports")
    }

    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = 0
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    /// `cccd console` in a new mount namespace whose `/run/pcscd` is an empty tmpfs (unshare and
    /// sh exec into it: the process is the console itself).
    static func console(tokenFile: String) throws -> CCCDProcess {
        guard let unshare else { throw Missing(description: "unshare is not installed") }
        return try CCCDProcess(["console", "--listen", "127.0.0.1:0", "--token-file", tokenFile], via: [
            unshare, "--mount", "--propagation", "private", "--", "/bin/sh", "-c", "mount -t tmpfs cccd-hotplug /run/pcscd && exec \"$0\" \"$@\"",
        ])
    }

    /// pcscd in the mount namespace of `pid` (nsenter execs it: the process is pcscd itself).
    static func startPCSCD(inNamespaceOf pid: Int32, config: String, log: String) throws -> Process {
        guard let nsenter, let pcscd else { throw Missing(description: "nsenter or pcscd is not installed") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: nsenter)
        p.arguments = ["--mount=/proc/\(pid)/ns/mnt", "--", pcscd, "--foreground", "--config", config]
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return p
    }

    /// SIGKILL: the daemon inherits the test runner's blocked signal mask, so SIGTERM would stay
    /// pending for ever; and a killed daemon is also what a crash or a pulled reader looks like.
    static func stop(_ p: Process) {
        guard p.isRunning else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }
}
