import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import PCSC

/// The `cccd` executable the benchmarks start: `$CCCD_BIN`, else the release build in this
/// build tree run.sh makes (`swift build -c release --static-swift-stdlib --product cccd
/// --scratch-path .build-cccd` in Benchmarks/).
public enum CCCDBinary {
    public static var root: URL {
        // Benchmarks/Sources/BenchSupport/VirtualCard.swift -> the root checkout
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    public static var path: String {
        if let p = ProcessInfo.processInfo.environment["CCCD_BIN"], !p.isEmpty { return p }
        return root.appendingPathComponent("Benchmarks/.build-cccd/release/cccd").path
    }

    /// Runs `cccd` with `arguments` to completion (posix_spawn + wait4, stdout and stderr to
    /// /dev/null); returns wall time, exit status and the child's rusage peak RSS in KB (which
    /// includes this process's own peak: see `peakRSSKB`).
    public static func run(_ arguments: [String]) throws -> (wall: Duration, status: Int32, maxRSSKB: Int) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchmarkSetupError("posix_spawn \(path): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let wall = clock.now - start
        return (wall, (status >> 8) & 0xFF, Int(usage.ru_maxrss))
    }
}

extension CCCDBinary {
    /// The peak RSS (KB) of `cccd` run with `arguments`, measured by `/usr/bin/time` (nil when it
    /// is not installed). A child spawned straight from this process would report this process's
    /// peak instead: Linux carries the parent's high-water mark across vfork + exec.
    public static func peakRSSKB(_ arguments: [String]) throws -> Int? {
        let time = "/usr/bin/time"
        guard FileManager.default.isExecutableFile(atPath: time) else { return nil }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-bench-rss-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: time)
        p.arguments = ["-f", "%M", "-o", out, path] + arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let text = try String(contentsOfFile: out, encoding: .utf8)
        return text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}

/// A simulated card served by another process (`cccd simulate`) in a vpcd virtual reader.
public final class VirtualCard: @unchecked Sendable {  // owns the simulator process
    public static let readerNames = ["Virtual PCD 00 00", "Virtual PCD 00 01"]

    public let slot: Int
    public let reader: String
    public let trust: TrustStore
    private let process: Process
    private let profileFile: URL
    private let lease: Int32

    /// Starts `cccd simulate` on `slot` with the benchmark profile and waits until pcscd sees the card.
    public init(slot: Int, trust: TrustStore) async throws {
        self.slot = slot
        self.trust = trust
        reader = Self.readerNames[slot]
        // The slot lease every test process on the machine honours (SimulatorHarness.VirtualSlotLease):
        // without it another process's card could sit in the slot, or its reads hit ours.
        // Same place and modes as VirtualSlotLease: a private directory per user, 0600, no symlinks.
        let dir = "/tmp/cccd-vpcd-\(getuid())"
        _ = mkdir(dir, 0o700)
        lease = open("\(dir)/slot-\(slot).lock", O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard lease >= 0 else { throw BenchmarkSetupError("cannot open the lease of slot \(slot)") }
        var waited = 0
        while flock(lease, LOCK_EX | LOCK_NB) != 0 {
            waited += 1
            guard waited < 1200 else { close(lease); throw BenchmarkSetupError("slot \(slot) busy for 2 minutes") }
            try await Task.sleep(for: .milliseconds(100))
        }
        profileFile = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-bench-profile-\(getpid())-\(slot).json")
        try JSONEncoder().encode(Fixture.profile).write(to: profileFile)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CCCDBinary.path)
        p.arguments = ["simulate", "--reader-slot", "\(slot)", "--profile", profileFile.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        let context = try await PCSCContext.establish()
        for _ in 0..<300 {
            if let s = try? await context.readerStates().first(where: { $0.reader == reader }), s.cardPresent, !s.cardMute { return }
            guard p.isRunning else { throw BenchmarkSetupError("cccd simulate exited with \(p.terminationStatus) (is \(CCCDBinary.path) built, pcscd running, slot \(slot) free?)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        p.terminate()
        throw BenchmarkSetupError("no card in \(reader) after 15 s")
    }

    public func stop() {
        if process.isRunning {
            process.interrupt()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: profileFile)
        flock(lease, LOCK_UN)
    }

    deinit {
        stop()
        close(lease)
    }

    /// Resets the card (as a new presentation would), for reads made by another process.
    public func reset(context: PCSCContext) async throws {
        let card = try await context.connect(reader: reader, share: .exclusive)
        try await card.reconnect(initialization: .reset)
    }

    /// One full read and verification through pcscd, as `cccd read` does it: connect, open the
    /// profile-aware channel, read, verify.
    public func read(context: PCSCContext) async throws -> CardReadout {
        // Exclusive: other processes on a shared machine (test suites using the same vpcd slots)
        // must not interleave their APDUs with a measured read.
        let card = try await context.connect(reader: reader, share: .exclusive)
        let channel = try await PCSCChannel.open(card)
        // A card presented to a reader starts powered up: reset it, so the previous read's session
        // (selected application, SM keys) does not carry over in the always-powered virtual reader.
        try await channel.resetCard()
        let readout = try await CardReader(options: CardReader.Options(trust: trust, date: Fixture.date))
            .read(channel: channel, key: .can(Fixture.can), reader: reader, atr: channel.atr)
        guard readout.verdict == .genuine else { throw BenchmarkSetupError("read through \(reader) is \(readout.verdict)") }
        return readout
    }
}
