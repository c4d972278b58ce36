import ArgumentParser
import CardSimulator
import Console
import Foundation
import Logging
import MRTD
import PCSC
import Registry
import SimulatorHarness
import Station

extension CCCD {
    /// `cccd console`: the station console, a web page the operator watches (issue 12).
    struct ConsoleGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "console",
            abstract: "Serve the station console: a web page showing every reader, the card just read and the campaign.",
            subcommands: [ConsoleServe.self, ConsoleToken.self],
            defaultSubcommand: ConsoleServe.self)
    }
}

struct ConsoleServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the console (the default: `cccd console [options]`).",
        discussion: """
        Binds to 127.0.0.1:8080 by default. Any other address needs --tls-cert/--tls-key and an operator token \
        (`cccd console token`); peers other than loopback must send the token. --simulated shows the built-in \
        simulated card (in a free virtual reader when pcscd and vpcd are installed, otherwise in-process).
        """)

    @Option(parsing: .upToNextOption, help: "Readers to watch (exact names or parts of names); default: every reader.")
    var readers: [String] = []

    @Option(help: "Link each read to this registry store (postgres://..., sqlite:PATH or a path).")
    var store: String?

    @Option(help: "Station mode: the verify-printed batch of this issuing station.")
    var station: String?

    @Option(help: "The mobile team recorded on read events.")
    var team: String?

    @Option(name: .customLong("operator"), help: "Officer ID recorded on read events.")
    var operatorID: String?

    @Option(help: "Address to listen on, HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one).")
    var listen = "127.0.0.1:8080"

    @Option(name: .customLong("clear-after"), help: "Seconds a read card's data stays on the page (default 60).")
    var clearAfter = 60

    @Flag(help: "Show the built-in simulated card (marked as simulated on the page).")
    var simulated = false

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain for HTTPS.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for HTTPS.")
    var tlsKey: String?

    @Option(help: "CSCA certificates, master lists, CRLs to trust (default: the imported trust store).")
    var trust: [String] = []

    @Option(name: .customLong("token-file"), help: "Where the operator token's hash is kept (default $XDG_DATA_HOME/cccd/console-token.sha256).")
    var tokenFile: String?

    func validate() throws {
        if station != nil && team != nil { throw ValidationError("give --station or --team, not both") }
        if simulated && (!readers.isEmpty || !trust.isEmpty) { throw ValidationError("--simulated cannot be combined with --readers or --trust") }
        _ = try Self.parseListen(listen)
    }

    /// `HOST:PORT`, `[IPv6]:PORT` or `HOST` (port 8080).
    static func parseListen(_ text: String) throws -> (String, Int) {
        var host = text
        var port = 8080
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let p = Int(rest.dropFirst()) else { throw ValidationError("--listen: bad port in \(text)") }
                port = p
            }
        } else if let colon = text.lastIndex(of: ":"), text.filter({ $0 == ":" }).count == 1 {
            host = String(text[..<colon])
            guard let p = Int(text[text.index(after: colon)...]) else { throw ValidationError("--listen: bad port in \(text)") }
            port = p
        }
        guard !host.isEmpty, (0...65_535).contains(port) else { throw ValidationError("--listen: expected HOST:PORT, got \(text)") }
        return (host, port)
    }

    func run() async throws {
        let output = Output(json: false)
        do {
            let (host, port) = try Self.parseListen(listen)
            let tokenHash = try OperatorToken.loadHash(from: tokenFile ?? OperatorToken.defaultPath)
            let mode: ConsoleConfiguration.Mode = station.map { .station($0) } ?? team.map { .team($0) } ?? .desk
            var config = ConsoleConfiguration(
                host: host, port: port, readers: readers.isEmpty ? .all : .list(readers), trust: TrustStore(), mode: mode,
                clearAfter: clearAfter, device: StoreOpener.device, operatorID: operatorID, tokenHash: tokenHash,
                tlsCertificate: tlsCert, tlsKey: tlsKey)
            try config.validate()
            var registry: (any RegistryStore)?
            if let store { registry = try await StoreOpener.open(store) }
            config.store = registry
            let scheme = tlsCert == nil ? "http" : "https"
            let announce: @Sendable (String, Int) async -> Void = { h, p in
                let shown = h.contains(":") ? "[\(h)]" : h
                print("cccd console: \(scheme)://\(shown):\(p)/")
                fflush(nil)
            }
            var logger = Logger(label: "cccd.console")
            logger.logLevel = ProcessInfo.processInfo.environment["CCCD_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
            do {
                if simulated {
                    try await Self.serveSimulated(config, logger: logger, announce: announce)
                } else {
                    config.trust = try ReadOptionsTrust.load(trust)
                    let server = try ConsoleServer(configuration: config, logger: logger)
                    try await withInterruptCancellation { try await server.run(onRunning: announce) }
                }
            } catch {
                try? await registry?.close()
                throw error
            }
            try? await registry?.close()
        } catch let e as ConsoleError {
            throw output.fail(.usage(e.description))
        } catch let e as CLIError {
            throw output.fail(e)
        } catch let e as ValidationError {
            throw output.fail(.usage(e.message))
        } catch let e as TrustStoreError {
            throw output.fail(.failed(code: "trustStore", message: e.description, exit: .usage))
        } catch let e as ExitCode {
            throw e
        } catch {
            throw output.fail(.failed(code: "internal", message: "console: \(error)", exit: .communication))
        }
    }

    /// The built-in simulated card, in a free virtual reader when pcscd and vpcd are there (held
    /// for as long as the console runs), else read in-process; its test CSCA and CRL are trusted
    /// for this console only, and every read is marked simulated.
    static func serveSimulated(_ base: ConsoleConfiguration, logger: Logger, announce: @escaping @Sendable (String, Int) async -> Void) async throws {
        let chip = try CardSource.builtInChip()
        var config = base
        var trust = TrustStore()
        trust.add(try Certificate(der: chip.card.pki.cscaCertificate))
        trust.add(try CRL(der: chip.card.pki.crl))
        config.trust = trust
        config.simulated = true
        config.keySource = .fixed(.can(chip.card.can))
        if let states = try? await PCSCContext.establish().readerStates(),
           states.first(where: { $0.reader == VirtualReader.names[0] })?.cardPresent == false {
            let virtual = config
            try await withInterruptCancellation {
                try await VirtualReader.withCard(chip, slot: 0) { reader in
                    var c = virtual
                    c.readers = .list([reader])
                    try await ConsoleServer(configuration: c, logger: logger).run(onRunning: announce)
                }
            }
        } else {
            config.inProcessCard = .init(reader: "built-in simulated card (in-process)", atr: chip.atr, channel: InProcessChannel(card: chip))
            let server = try ConsoleServer(configuration: config, logger: logger)
            try await withInterruptCancellation { try await server.run(onRunning: announce) }
        }
    }
}

/// `--trust` for the console, as for `cccd read`: given paths are the operator's choice; without
/// them the imported store is used.
enum ReadOptionsTrust {
    static func load(_ paths: [String]) throws -> TrustStore {
        if paths.isEmpty {
            let store = try TrustStore.load(from: TrustStore.defaultDirectory)
            for w in store.warnings { FileHandle.standardError.write(Data("warning: trust store: \(w)\n".utf8)) }
            return store
        }
        var store = TrustStore(acceptSelfCertifiedLists: true)
        try store.importPaths(paths)
        return store
    }
}

/// `cccd console token`: creates a new operator token, prints it once, keeps only its hash.
struct ConsoleToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create the operator token (printed once; only its SHA-256 is stored). A new token replaces the old one.")

    @Option(name: .customLong("token-file"), help: "Where to keep the token's hash (default $XDG_DATA_HOME/cccd/console-token.sha256).")
    var tokenFile: String?

    func run() async throws {
        let path = tokenFile ?? OperatorToken.defaultPath
        do {
            let token = try OperatorToken.create(at: path)
            print(token)
            FileHandle.standardError.write(Data("cccd: operator token created; its hash is in \(path)\n".utf8))
        } catch let e as ConsoleError {
            throw Output(json: false).fail(.failed(code: "token", message: e.description, exit: .communication))
        }
    }
}
