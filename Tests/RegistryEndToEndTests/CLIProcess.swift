import Foundation
import ISO7816

/// Runs the built `cccd` as a subprocess (as a station script would), pipes drained on Dispatch
/// threads so the cooperative pool stays free for the simulated card.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    var json: [String: Any]? {
        guard let line = stdout.split(separator: "\n").first,
              let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return obj
    }
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

    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Int = 120) async throws -> CLIRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
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
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                if finished.wait(timeout: .now() + .seconds(timeout)) == .timedOut {
                    process.terminate()
                    finished.wait()
                }
                group.wait()
                c.resume()
            }
        }
        return CLIRun(status: process.terminationStatus, stdout: String(decoding: od.current, as: UTF8.self),
                      stderr: String(decoding: ed.current, as: UTF8.self))
    }

    /// Runs a shell tool (psql) the same way.
    static func tool(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
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
