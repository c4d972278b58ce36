import ArgumentParser
import Foundation
import PCSC

/// Exit codes of the `cccd` contract (README: "Exit codes").
enum ExitStatus: Int32 {
    case genuine = 0
    case rejected = 1
    case usage = 2
    case accessDenied = 3
    case communication = 4
    case unverified = 5
}

/// A failure the CLI reports: a stable code for programs, a one-line message for people.
enum CLIError: Error, CustomStringConvertible {
    case pcsc(PCSCError)
    case noReader
    case noCard(waited: Int?)
    case usage(String)
    case failed(code: String, message: String, exit: ExitStatus)

    var code: String {
        switch self {
        case .pcsc(let e):
            switch e {
            case .noService, .serviceStopped: return "pcscUnavailable"
            case .removedCard, .resetCard: return "cardRemoved"
            case .noReadersAvailable, .unknownReader, .readerUnavailable: return "noReader"
            case .noSmartcard: return "noCard"
            case .timeout: return "timeout"
            default: return "communication"
            }
        case .noReader: return "noReader"
        case .noCard: return "noCard"
        case .usage: return "usage"
        case .failed(let c, _, _): return c
        }
    }

    var exitStatus: ExitStatus {
        switch self {
        case .pcsc, .noReader, .noCard: return .communication
        case .usage: return .usage
        case .failed(_, _, let e): return e
        }
    }

    var description: String {
        switch self {
        case .pcsc(let e): return e.description
        case .noReader: return "no smart-card reader found"
        case .noCard(let w): return w.map { "no card presented within \($0) s" } ?? "no card in any reader"
        case .usage(let m): return m
        case .failed(_, let m, _): return m
        }
    }
}

/// Writes results and errors: JSON on stdout for programs, one line on stderr for people.
struct Output {
    let json: Bool

    func printJSON<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return }
        print(text)
    }

    /// Reports the error and returns the exit code to throw.
    func fail(_ error: CLIError) -> ExitCode {
        FileHandle.standardError.write(Data("cccd: \(error.description)\n".utf8))
        if json {
            printJSON(["error": ["code": error.code, "message": error.description]])
        }
        return ExitCode(error.exitStatus.rawValue)
    }
}

/// Runs `body` until it ends or SIGINT/SIGTERM arrives; an interrupt cancels it and is not an error.
func withInterruptCancellation(_ body: @escaping @Sendable () async throws -> Void) async throws {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let task = Task { try await body() }
    let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
        let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        s.setEventHandler { task.cancel() }
        s.resume()
        return s
    }
    defer { sources.forEach { $0.cancel() } }
    do {
        try await task.value
    } catch is CancellationError {
    } catch PCSCError.cancelled {
    }
}
