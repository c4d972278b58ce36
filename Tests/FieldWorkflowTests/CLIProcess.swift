import Foundation
import ISO7816

/// The built `cccd`, run as a station or team laptop would run it; pipes drained on Dispatch
/// threads so the cooperative pool stays free for the simulated cards.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Every stdout line that is a JSON object.
    var lines: [[String: Any]] {
        stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    var json: [String: Any]? { lines.first }
}

enum CLI {
    static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("cccd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/cccd")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, timeout: Int = 120) async throws -> CLIRun {
        try await start(arguments, environment: environment, stdin: stdin, timeout: timeout).value
    }

    /// Runs `cccd` until it ends or, after `seconds`, an operator's Ctrl-C (SIGINT) stops it.
    static func interrupted(after seconds: Int, _ arguments: [String], environment: [String: String] = [:]) async throws -> CLIRun {
        try await start(arguments, environment: environment, timeout: seconds, interrupt: true).value
    }

    /// Starts `cccd` and returns a task that ends with its result (after `timeout` seconds it is
    /// killed, or interrupted with SIGINT when `interrupt`).
    static func start(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                      timeout: Int = 120, interrupt: Bool = false) throws -> Task<CLIRun, Never> {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        let od = Locked(Data()), ed = Locked(Data())
        let group = DispatchGroup()
        for (pipe, box) in [(out, od), (err, ed)] {
            group.enter()
            DispatchQueue.global().async {
                let d = pipe.fileHandleForReading.readDataToEndOfFile()
                box.withLock { $0 = d }
                group.leave()
            }
        }
        return Task {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    if finished.wait(timeout: .now() + .seconds(timeout)) == .timedOut {
                        if interrupt {
                            process.interrupt()
                            if finished.wait(timeout: .now() + .seconds(30)) == .timedOut { process.terminate() } else { finished.signal() }
                        } else {
                            process.terminate()
                        }
                        finished.wait()
                    }
                    group.wait()
                    c.resume()
                }
            }
            return CLIRun(status: process.terminationStatus, stdout: String(decoding: od.current, as: UTF8.self),
                          stderr: String(decoding: ed.current, as: UTF8.self))
        }
    }
}
