import Foundation
import ISO7816

/// Runs the built `cccd` executable as a subprocess, as a station script would.
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
    /// The `cccd` binary next to the test bundle (both are in the build products directory).
    static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("cccd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/cccd")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws -> CLIRun {
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
        // Pipes are drained and the exit awaited on Dispatch threads, never on the cooperative pool:
        // a blocked pool thread would stall the test that must insert the card the child waits for.
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
        let deadline = DispatchTime.now() + .milliseconds(Int(timeout.components.seconds * 1000))
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                if finished.wait(timeout: deadline) == .timedOut {
                    process.terminate()
                    finished.wait()
                }
                group.wait()
                c.resume()
            }
        }
        let (odata, edata) = (od.current, ed.current)
        return CLIRun(status: process.terminationStatus,
                      stdout: String(decoding: odata, as: UTF8.self),
                      stderr: String(decoding: edata, as: UTF8.self))
    }
}

extension Process {
    /// Waits for exit on a Dispatch thread, keeping the cooperative pool free.
    func exited() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.waitUntilExit()
                c.resume()
            }
        }
    }
}
