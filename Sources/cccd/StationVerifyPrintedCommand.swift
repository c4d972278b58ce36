import ArgumentParser
import Foundation
import ISO7816
import Registry
import Station

/// `cccd station verify-printed`: every card put on the readers is opened with the CAN of its
/// card record, read, verified and compared with the issuance record; verified or marked for
/// reprint. One line per card; a batch summary at the end (Ctrl-C or --count).
struct StationVerifyPrinted: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-printed",
        abstract: "Verify freshly printed cards on one or several readers, until interrupted or --count cards.",
        discussion: """
        Each card is opened with the CAN of a printed card of the store (tried in printing order, one PACE attempt each, \
        at most --max-candidates), read, verified and compared with its record: `verified` (chip evidence stored) or \
        `reprint` (the record holds the reasons). Readers work independently. With --json, one line per card \
        {"reader","idNumber","outcome","reasons","eventId"} (a card no printed card's CAN opens, or a read that failed \
        for a reason that is not the card's, is {"error": {"code","message","reader"}}) and a final {"summary": {...}}.
        Exit codes: 0 the batch ran (whatever the cards' outcomes), 2 usage, 4 no pcscd or the store unavailable.
        """)

    @Option(help: "Readers, comma-separated (each an exact name or a case-insensitive part of it). Default: every reader, including readers plugged in later.")
    var readers: String?

    @Option(help: "The station's name, recorded on every event.")
    var station: String

    @OptionGroup var storeOption: StoreOption

    @Option(name: .customLong("trust"), help: "CSCA certificates, master lists, CRLs or directories of them; repeatable. Default: the imported trust store.")
    var trust: [String] = []

    @Option(help: "Stop after this many cards checked (verified or reprint) and print the summary.")
    var count: Int?

    @Option(help: "At most this many printed cards' CANs tried on one card.")
    var maxCandidates = 16

    @Option(help: "Seconds one card may take from presentation to verdict.")
    var timeout = 30.0

    @Flag(help: "Print JSON Lines.")
    var json = false

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        guard (1...1000).contains(maxCandidates) else { throw ValidationError("--max-candidates must be between 1 and 1000") }
        guard timeout > 0 && timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
        guard !station.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--station must name the station") }
    }

    var selection: ReaderSelection {
        let names = (readers ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return names.isEmpty ? .all : .list(names)
    }

    func run() async throws {
        let output = Output(json: json)
        let summary = Locked(StationBatchSummary())
        let started = ContinuousClock.now
        do {
            let trust = try ReadOptions.trustStore(paths: self.trust)
            let options = StationOptions(trust: trust, readTimeout: .milliseconds(Int(timeout * 1000)))
            try await FieldStore.with(storeOption.resolved) { store in
                let verifier = PrintedCardVerifier(store: store, station: station, device: StoreOpener.device, operator: storeOption.operatorID,
                                                   options: options, maxCandidates: maxCandidates)
                let (selection, count) = (self.selection, self.count)
                try await withInterruptCancellation {
                    // With --count the verifier ends after N verified or reprint cards and never
                    // runs more reads than that: every card read is printed and counted, none cut short.
                    for try await outcome in verifier.outcomes(readers: selection, limit: count) {
                        summary.withLock { $0.add(outcome) }
                        Self.report(outcome, output: output)
                    }
                }
            }
        } catch let e as CLIError {
            throw output.fail(e)
        } catch let e as StationError {
            throw output.fail(ReadFlow.classify(e))
        } catch let e as RegistryError {
            throw output.fail(RegistryCLI.error(e))
        } catch {
            throw output.fail(ReadFlow.classify(error))
        }
        var final = summary.current
        let elapsed = (ContinuousClock.now - started).components
        final.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        if json { output.printJSON(StationSummaryLine(summary: final)) } else { print(final.human) }
    }

    /// One line per card.
    static func report(_ o: PrintedCardOutcome, output: Output) {
        switch o.outcome {
        case .verified, .reprint:
            if output.json {
                output.printJSON(o)
            } else {
                let card = "\(o.idNumber ?? "?") issued \(o.dateOfIssue ?? "?")"
                print(o.outcome == .verified ? "\(o.reader): VERIFIED \(card)"
                                             : "\(o.reader): REPRINT \(card): \(o.reasons.joined(separator: ", "))")
            }
        case .error:
            let e = o.error ?? StationError(code: .internal, message: "unknown error")
            FileHandle.standardError.write(Data("cccd: \(o.reader): \(e.message)\n".utf8))
            if output.json { output.printJSON(["error": ["code": e.code.rawValue, "message": e.message, "reader": o.reader]]) }
        }
        fflush(nil)
    }
}
