import Foundation

/// The built `cccd`, run as a station script or an operator would run it. Pipes are drained and
/// exits awaited on threads of their own, never on the cooperative pool (a blocked pool thread
/// would stall the test that must insert the simulated card the child is waiting for) nor on
/// Dispatch's global queue (its few threads, blocked for a run's length, starve other tests).
public enum CLI {
    /// The `cccd` binary beside the test bundle (both are in the build products directory).
    public static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("cccd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/cccd")
    }

    /// The test's environment plus `overrides`, without the developer's own store and sync token:
    /// a test never reads or writes a real registry, nor sends a real token.
    static func environment(_ overrides: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CCCD_STORE"] = nil
        env["CCCD_SYNC_TOKEN"] = nil
        for (k, v) in overrides { env[k] = v }
        return env
    }

    /// Runs `cccd` to its end (killed after `timeout`).
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                           timeout: Duration = .seconds(120)) async throws -> CLIRun {
        try await start(arguments, environment: environment, stdin: stdin, timeout: timeout).value
    }

    /// Runs `cccd` until it ends or, after `after`, an operator's Ctrl-C (SIGINT) stops it.
    public static func interrupted(after: Duration, _ arguments: [String], environment: [String: String] = [:]) async throws -> CLIRun {
        try await start(arguments, environment: environment, timeout: after, interrupt: true).value
    }

    /// Starts `cccd` and returns a task that ends with its result: after `timeout` it is killed,
    /// or interrupted with SIGINT when `interrupt` (and killed if it then takes 30 s to stop).
    public static func start(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                             timeout: Duration = .seconds(120), interrupt: Bool = false) throws -> Task<CLIRun, Never> {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment(environment)
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        let collected = TestLock<(out: Data, err: Data)>((Data(), Data()))
        let drained = DispatchGroup()
        for (pipe, isOut) in [(out, true), (err, false)] {
            drained.enter()
            Thread {
                let d = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.withLock { if isOut { $0.out = d } else { $0.err = d } }
                drained.leave()
            }.start()
        }
        let milliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return Task {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                Thread {
                    if finished.wait(timeout: .now() + .milliseconds(milliseconds)) == .timedOut {
                        if interrupt {
                            process.interrupt()
                            if finished.wait(timeout: .now() + .seconds(30)) == .timedOut { process.terminate() } else { finished.signal() }
                        } else {
                            process.terminate()
                        }
                        finished.wait()
                    }
                    drained.wait()
                    c.resume()
                }.start()
            }
            let (o, e) = collected.current
            return CLIRun(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
        }
    }

    /// Runs another command-line tool (psql) to its end; stdout and stderr together.
    public static func tool(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: d, as: UTF8.self))
    }
}

extension Process {
    /// Waits for the exit on a Dispatch thread, keeping the cooperative pool free.
    public func exited() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread {
                self.waitUntilExit()
                c.resume()
            }.start()
        }
    }
}
