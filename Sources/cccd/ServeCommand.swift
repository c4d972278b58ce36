import ArgumentParser
import Foundation
import Logging
import Registry
import SyncProtocol
import SyncServer

/// `cccd serve`: the central sync service, and the devices it knows (`serve device add|revoke`).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the central sync service over a PostgreSQL store; enrol and revoke devices.",
        subcommands: [ServeRun.self, ServeDevice.self],
        defaultSubcommand: ServeRun.self)
}

/// `cccd serve --store postgres://... --listen 127.0.0.1:8443 [--tls-cert F --tls-key F]`.
struct ServeRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve the /v1 sync API (plain HTTP on a loopback address only; TLS with --tls-cert and --tls-key).")

    @OptionGroup var storeOption: StoreOption

    @Option(help: "HOST:PORT to listen on (port 0: any free port, printed on start).")
    var listen = "127.0.0.1:8443"

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    func run() async throws {
        try await RegistryCLI.run(json: false) {
            let address: ListenAddress
            do { address = try ListenAddress(listen) } catch { throw CLIError.usage("\(error)") }
            guard (tlsCert == nil) == (tlsKey == nil) else { throw CLIError.usage("--tls-cert and --tls-key go together") }
            let tls = tlsCert.flatMap { c in tlsKey.map { SyncService.TLSFiles(certificate: c, key: $0) } }
            if tls == nil && !address.isLoopback { throw CLIError.usage(SyncServerError.plainHTTPNotLoopback(address.description).description) }
            try await storeOption.withStore { store in
                guard let central = store as? any CentralSyncStore else {
                    throw CLIError.usage("cccd serve needs a PostgreSQL store (--store postgres://...)")
                }
                var logger = Logger(label: "cccd.sync.serve")
                logger.logLevel = ProcessInfo.processInfo.environment["CCCD_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
                let scheme = tls == nil ? "http" : "https"
                do {
                    try await SyncService(store: central).run(listen: address, tls: tls, logger: logger) { port in
                        var shown = address
                        shown.port = port
                        FileHandle.standardOutput.write(Data("cccd serve: listening on \(scheme)://\(shown.description)\n".utf8))
                    }
                } catch let e as SyncServerError {
                    throw CLIError.usage(e.description)
                } catch let e as CLIError {
                    throw e
                } catch {
                    throw CLIError.failed(code: "serveFailed", message: "cannot serve on \(address.description): \(error)", exit: .communication)
                }
            }
        }
    }
}

/// `cccd serve device add|revoke`.
struct ServeDevice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Enrol a device (prints its token once) or revoke its token.",
        subcommands: [ServeDeviceAdd.self, ServeDeviceRevoke.self])

    /// Letters, digits, `.`, `_`, `-`; 1–64 characters.
    static func validName(_ s: String, _ what: String) throws -> String {
        guard (1...64).contains(s.count), s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }) else {
            throw CLIError.usage("\(what) must be 1–64 letters, digits, '.', '_' or '-'")
        }
        return s
    }

    /// A team as the field names it ("Đội 3", "hanam-07"): letters of any script, digits, spaces,
    /// `.`, `_`, `-`; 1–64 characters, NFC, no space at either end — the same names `--team`
    /// takes on `read`, `confirm` and `vneid apply`.
    static func validTeam(_ s: String) throws -> String {
        let t = s.precomposedStringWithCanonicalMapping
        let allowed = t.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || $0.properties.generalCategory == .decimalNumber || $0.properties.generalCategory == .nonspacingMark
                || " ._-".unicodeScalars.contains($0)
        }
        guard (1...64).contains(t.count), allowed, t == t.trimmingCharacters(in: .whitespaces) else {
            throw CLIError.usage("--team must be 1–64 letters, digits, spaces, '.', '_' or '-'")
        }
        return t
    }

    static func central(_ store: any RegistryStore) throws -> any CentralSyncStore {
        guard let c = store as? any CentralSyncStore else { throw CLIError.usage("devices are enrolled on the central PostgreSQL store (--store postgres://...)") }
        return c
    }
}

/// `cccd serve device add --team NAME [--device NAME] [--province P] --store URL [--json]`.
struct ServeDeviceAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Enrol a device and print its token (shown once; the centre keeps only its SHA-256).")

    @Option(help: "The mobile team or station the device belongs to.")
    var team: String

    @Option(help: "The device's name: the chain it pushes (its $CCCD_DEVICE). Default: TEAM-xxxxxx.")
    var device: String?

    @Option(help: "3-digit province code: the device pulls status updates of that province's citizens only (default: all).")
    var province: String?

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print {\"device\", \"token\"}.")
    var json = false

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let team = try ServeDevice.validTeam(self.team)
            // The default device name is the team's when it is a plain ASCII name, else "device".
            let prefix = (try? ServeDevice.validName(team, "--team")) ?? "device"
            let name = try ServeDevice.validName(device ?? "\(prefix)-\(DeviceToken.generate().suffix(6))", "--device")
            if let province, !(province.count == 3 && province.allSatisfy { $0.isASCII && $0.isNumber }) {
                throw CLIError.usage("--province must be a 3-digit province code")
            }
            let token = DeviceToken.generate()
            try await storeOption.withStore { store in
                try await ServeDevice.central(store).addDevice(SyncDevice(name: name, team: team, province: province), tokenSHA256: DeviceToken.digest(token))
            }
            if json {
                Output(json: true).printJSON(["device": name, "token": token])
            } else {
                print("device \(name) (team \(team)) enrolled; its token (shown once: keep it in a 0600 file for the device's `cccd sync --token-file`):")
                print(token)
            }
        }
    }
}

/// `cccd serve device revoke DEVICE --store URL`.
struct ServeDeviceRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a device's token (its events stay).")

    @Argument(help: "The device's name.")
    var device: String

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print {\"device\", \"revoked\": true}.")
    var json = false

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let name = try ServeDevice.validName(device, "DEVICE")
            let done = try await storeOption.withStore { store in try await ServeDevice.central(store).revokeDevice(name, at: Date()) }
            guard done else { throw CLIError.failed(code: "notFound", message: "no enrolled device \(name) with a live token", exit: .rejected) }
            struct Revoked: Encodable { var device: String; var revoked: Bool }
            if json { Output(json: true).printJSON(Revoked(device: name, revoked: true)) } else { print("device \(name): token revoked") }
        }
    }
}
