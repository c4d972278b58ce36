import ArgumentParser
import Foundation
import Logging

@main
struct CCCD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cccd",
        abstract: "Read and verify Vietnamese chip ID cards (CCCD) through PC/SC readers.",
        version: "0.3.0",
        subcommands: [Read.self, Watch.self, Readers.self, Simulate.self, Trust.self,
                      RegistryGroup.self, CardCommand.self, VNeIDCommand.self, Audit.self, StationGroup.self, Confirm.self,
                      ConsoleGroup.self, Serve.self, Sync.self])

    /// Parses and runs, mapping argument and validation errors to exit code 2 with one line on
    /// stderr (and a JSON error with --json), as the README's contract says.
    static func main() async {
        // Library logs go to stderr at warning level unless CCCD_LOG_LEVEL says otherwise
        // (trace, debug, info, notice, warning, error, critical). Even at debug no personal data,
        // keys or APDU payloads are logged; --log-apdus writes redacted traces to a file.
        let level = ProcessInfo.processInfo.environment["CCCD_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure || (code != .success && !(error is ExitCode) && isParseError(error)) {
                let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                FileHandle.standardError.write(Data("cccd: \(message)\n".utf8))
                if CommandLine.arguments.contains("--json") {
                    Output(json: true).printJSON(["error": ["code": "usage", "message": message]])
                }
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }

    private static func isParseError(_ error: Error) -> Bool {
        String(reflecting: type(of: error)).contains("ArgumentParser")
    }
}
