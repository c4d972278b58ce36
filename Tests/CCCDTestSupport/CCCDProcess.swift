import Foundation

/// A long-running `cccd` (`serve`, `console`, a `sync` to cut): its output so far, and a stop by
/// SIGINT (an operator's Ctrl-C) or SIGKILL (a power cut).
public final class CCCDProcess: @unchecked Sendable {
    public let process = Process()
    private let out = Pipe(), err = Pipe()
    private let text = TestLock<(out: Data, err: Data)>((Data(), Data()))
    private let drained = DispatchGroup()

    /// `via`: a launcher that ends by running the program it is given (`unshare … sh -c 'exec "$0" "$@"'`);
    /// the `cccd` path and `arguments` follow it.
    public init(_ arguments: [String], environment: [String: String] = [:], via launcher: [String] = []) throws {
        if let first = launcher.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = Array(launcher.dropFirst()) + [CLI.executable.path] + arguments
        } else {
            process.executableURL = CLI.executable
            process.arguments = arguments
        }
        process.environment = CLI.environment(environment)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Blocking reads until end of file (the child and every process holding the pipe gone),
        // each on a thread of its own: not a readability handler (its dispatch source outliving
        // the pipe crashes libdispatch on Linux when a test drops the process without waiting),
        // and not Dispatch's global queue, whose few threads a long-lived blocked reader would
        // take from every other test.
        for (pipe, isOut) in [(out, true), (err, false)] {
            drained.enter()
            let (text, drained) = (self.text, self.drained)
            Thread {
                let handle = pipe.fileHandleForReading
                while true {
                    let d = handle.availableData
                    if d.isEmpty { break }
                    text.withLock { if isOut { $0.out += d } else { $0.err += d } }
                }
                drained.leave()
            }.start()
        }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var stdout: String { String(decoding: text.current.out, as: UTF8.self) }
    public var stderr: String { String(decoding: text.current.err, as: UTF8.self) }

    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    public func interrupt() {
        if process.isRunning { process.interrupt() }
    }

    /// Waits for the exit (at most `seconds`, then kills); returns the status.
    public func wait(seconds: Double = 60) async -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill() }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        // All output read (a grandchild keeping the pipe open gets five seconds).
        let drained = self.drained
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread {
                _ = drained.wait(timeout: .now() + .seconds(5))
                c.resume()
            }.start()
        }
        return process.terminationStatus
    }

    /// The first `http://…` address the process printed (a server announcing where it listens).
    /// (`cccd console --simulated` first waits for a free virtual reader, which other tests may hold.)
    public func url(within seconds: Double = 180) async -> String? {
        _ = await Self.until(seconds: seconds) { self.stdout.contains("http://") || !self.isRunning }
        guard let line = stdout.split(separator: "\n").first(where: { $0.contains("http://") }), let r = line.range(of: "http://") else { return nil }
        return String(line[r.lowerBound...]).trimmingCharacters(in: .whitespaces)
    }

    /// Runs to completion.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLIRun {
        let p = try CCCDProcess(arguments, environment: environment)
        let status = await p.wait()
        return CLIRun(status: status, stdout: p.stdout, stderr: p.stderr)
    }

    /// Polls until `condition` holds or `seconds` pass.
    public static func until(seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// The last stdout line as a JSON object (a command's summary line).
    public static func json(_ text: String) -> [String: Any]? {
        guard let line = text.split(separator: "\n").last else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }
}
