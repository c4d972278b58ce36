import ArgumentParser
import CCCD
import Foundation
import MRTD

/// Options shared by `read` and `watch`.
struct ReadOptions: ParsableArguments {
    @Option(help: "Reader name, or a case-insensitive part of it (default: the first reader with a card).")
    var reader: String?

    @Option(help: "Card Access Number for PACE (6 digits); - reads it from stdin. Default: $CCCD_CAN.")
    var can: String?

    @Option(help: "The full TD1 MRZ (90 characters, newlines optional); - reads it from stdin. Default: $CCCD_MRZ.")
    var mrz: String?

    @Option(help: "The 12-digit ID number (document number = last 9 digits; alone, CAN = last 6 digits).")
    var id: String?

    @Option(help: "Date of birth YYMMDD (with --id).")
    var birth: String?

    @Option(help: "Date of expiry YYMMDD (with --id; 991231 for cards without expiry).")
    var expiry: String?

    @Option(name: .customLong("trust"), help: "CSCA certificates, master lists (.ml), CRLs or directories of them; repeatable. Default: the imported trust store.")
    var trust: [String] = []

    @Flag(help: "Print one JSON object (JSON Lines for watch).")
    var json = false

    @Option(help: "Wait up to this many seconds for a card.")
    var wait: Double?

    @Option(help: "Write an APDU trace (headers, lengths, status words; no payloads) to this file.")
    var logApdus: String?

    @Flag(help: "Read the built-in simulated card (synthetic citizen, test PKI trusted for that read only) instead of a reader's card.")
    var simulated = false

    func validate() throws {
        if simulated {
            let clash = [("--reader", reader != nil), ("--can", can != nil), ("--mrz", mrz != nil), ("--id", id != nil),
                         ("--trust", !trust.isEmpty), ("--wait", wait != nil)].filter(\.1).map(\.0)
            if !clash.isEmpty {
                throw ValidationError("--simulated reads the built-in card with its own CAN and test CSCA; it cannot be combined with \(clash.joined(separator: ", "))")
            }
        }
        if can == "-" && mrz == "-" { throw ValidationError("only one of --can and --mrz can come from stdin") }
        if can != nil && (mrz != nil || id != nil) { throw ValidationError("give one of --can, --mrz or --id") }
        if mrz != nil && id != nil { throw ValidationError("give one of --mrz or --id") }
        if (birth != nil || expiry != nil) && id == nil { throw ValidationError("--birth and --expiry go with --id") }
        if id != nil && (birth == nil) != (expiry == nil) { throw ValidationError("--id needs both --birth and --expiry, or neither (then the CAN is its last 6 digits)") }
        if let w = wait, !(w >= 0 && w <= 86_400) { throw ValidationError("--wait must be between 0 and 86400 seconds") }
        // A key from stdin is read (once) when the command runs, not here.
        guard can != "-" && mrz != "-" else { return }
        do {
            if let key = try accessKey() { try key.validate() }
        } catch let e as AccessKeyError {
            throw ValidationError(e.description)
        }
    }

    var accessGiven: Bool { can != nil || mrz != nil || id != nil || Self.environmentKey != nil }

    /// `$CCCD_CAN` or `$CCCD_MRZ`: keeps the key out of process listings and shell history.
    static var environmentKey: (can: String?, mrz: String?)? {
        let env = ProcessInfo.processInfo.environment
        let can = env["CCCD_CAN"].flatMap { $0.isEmpty ? nil : $0 }
        let mrz = env["CCCD_MRZ"].flatMap { $0.isEmpty ? nil : $0 }
        return can == nil && mrz == nil ? nil : (can, mrz)
    }

    /// The access key the options describe (`-` reads the value from stdin; without any option,
    /// `$CCCD_CAN`, then `$CCCD_MRZ`); nil when none was given.
    func accessKey() throws -> AccessKey? {
        var can = self.can, mrz = self.mrz
        if can == nil && mrz == nil && id == nil, let env = Self.environmentKey {
            can = env.can
            mrz = env.can == nil ? env.mrz : nil
        }
        if can == "-" { can = try Self.stdinLine(for: "--can") }
        if mrz == "-" { mrz = try Self.stdinText(for: "--mrz") }
        if let can { return .can(can) }
        if let mrz {
            do { return try MRZ(mrz).accessKey } catch let e as MRZError { throw ValidationError("--mrz: \(e)") }
        }
        if let id {
            let number: IDNumber
            do { number = try IDNumber(id) } catch { throw ValidationError("--id must be 12 digits") }
            if let birth, let expiry {
                return .mrz(documentNumber: number.documentNumber, dateOfBirth: birth, dateOfExpiry: expiry)
            }
            return .can(number.defaultCAN)
        }
        return nil
    }

    static func stdinLine(for option: String) throws -> String {
        guard let line = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces), !line.isEmpty else {
            throw ValidationError("\(option) -: nothing on stdin")
        }
        return line
    }

    /// The MRZ may come as three lines: everything until end of input.
    static func stdinText(for option: String) throws -> String {
        var lines = [String]()
        while let line = readLine(strippingNewline: true), lines.count < 4 { lines.append(line) }
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError("\(option) -: nothing on stdin") }
        return text
    }

    /// The trust store: --trust inputs (the operator's explicit choice for this read: a
    /// self-certified master list is used as given), else the persistent store, whose unusable
    /// files are reported on stderr and skipped.
    func trustStore() throws -> TrustStore {
        try Self.trustStore(paths: trust)
    }

    /// `--trust` paths as given, or the persistent store when there are none (shared with `station`).
    static func trustStore(paths trust: [String]) throws -> TrustStore {
        if trust.isEmpty {
            let store = try TrustStore.load(from: TrustStore.defaultDirectory)
            for w in store.warnings { FileHandle.standardError.write(Data("warning: trust store: \(w)\n".utf8)) }
            return store
        }
        var store = TrustStore(acceptSelfCertifiedLists: true)
        try store.importPaths(trust)
        return store
    }
}
