import ArgumentParser
import Foundation
import Registry

/// `cccd registry extract`: what a mobile team takes on the road, nothing more.
struct RegistryExtract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Copy the citizens, cards and VNeID accounts of a province (optionally a district) into a new SQLite store for a mobile team.",
        discussion: """
        The extract holds the citizens whose ID number starts with the province code, their cards (status, dates, chip \
        evidence — never the CAN: a team reads cards with the citizen's own CAN or MRZ, and a CAN is a secret that has \
        no business on a laptop travelling the country) and their accounts; no events (the team's device starts its own \
        chain). Its store_meta table records kind=extract, origin (the source store, without password), filter, \
        extractedAt and the counts. The citizen record holds no district code: --district keeps the citizens whose \
        place of residence has that exact comma-separated part (e.g. "Huyện Thanh Liêm"; case and Unicode form ignored). \
        The file is written beside --out and renamed into place only when complete; an existing file is refused \
        unless --force. Exit codes: 0 written, 2 usage (or --out exists), 4 store unavailable.
        """)

    @Option(help: "The province code: the first 3 digits of the ID number (e.g. 035 for Hà Nam).")
    var province: String

    @Option(help: "Keep only citizens whose place of residence has this part (e.g. \"Huyện Thanh Liêm\").")
    var district: String?

    @Option(help: "The SQLite file to write.")
    var out: String

    @Flag(help: "Replace --out if it exists.")
    var force = false

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard province.count == 3, province.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw ValidationError("--province must be 3 digits") }
        if let district, TeamExtract.normalized(district).isEmpty { throw ValidationError("--district must not be empty") }
    }

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let target = (out as NSString).expandingTildeInPath
            if FileManager.default.fileExists(atPath: target) && !force {
                throw CLIError.usage("\(out) exists: give --force to replace it")
            }
            var filter = "province=\(province)"
            if let district { filter += ";district=\(district)" }
            let summary = try await FieldStore.with(storeOption.resolved) { source in
                try await TeamExtract(province: province, district: district, filter: filter,
                                      origin: TeamExtract.redacted(storeOption.resolved)).write(from: source, to: target)
            }
            if json {
                Output(json: true).printJSON(summary)
            } else {
                print("\(out): \(summary.citizens) citizens, \(summary.cards) cards, \(summary.accounts) accounts (\(filter), taken \(summary.extractedAt))")
            }
        }
    }
}

/// `{"out", "filter", "extractedAt", "citizens", "cards", "accounts"}`.
struct ExtractSummary: Encodable {
    var out: String
    var filter: String
    var extractedAt: String
    var citizens: Int
    var cards: Int
    var accounts: Int
}
