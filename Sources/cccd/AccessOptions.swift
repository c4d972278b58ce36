import ArgumentParser
import CCCD
import Foundation
import MRTD

/// Options shared by `read` and `watch`.
struct ReadOptions: ParsableArguments {
    @Option(help: "Reader name, or a case-insensitive part of it (default: the first reader with a card).")
    var reader: String?

    @Option(help: "Card Access Number for PACE (6 digits).")
    var can: String?

    @Option(help: "The full TD1 MRZ (90 characters, newlines optional).")
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

    func validate() throws {
        if can != nil && (mrz != nil || id != nil) { throw ValidationError("give one of --can, --mrz or --id") }
        if mrz != nil && id != nil { throw ValidationError("give one of --mrz or --id") }
        if (birth != nil || expiry != nil) && id == nil { throw ValidationError("--birth and --expiry go with --id") }
        if id != nil && (birth == nil) != (expiry == nil) { throw ValidationError("--id needs both --birth and --expiry, or neither (then the CAN is its last 6 digits)") }
        if let w = wait, !(w >= 0 && w <= 86_400) { throw ValidationError("--wait must be between 0 and 86400 seconds") }
        do {
            if let key = try accessKey() { try key.validate() }
        } catch let e as AccessKeyError {
            throw ValidationError(e.description)
        }
    }

    var accessGiven: Bool { can != nil || mrz != nil || id != nil }

    /// The access key the options describe; nil when none was given.
    func accessKey() throws -> AccessKey? {
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

    /// The trust store: --trust inputs (the operator's explicit choice for this read: a
    /// self-certified master list is used as given), else the persistent store, whose unusable
    /// files are reported on stderr and skipped.
    func trustStore() throws -> TrustStore {
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
