import ArgumentParser
import CCCD
import Foundation
import MRTD
import PCSC
import Registry
import Station

extension CCCD {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Read every card as it is presented, until interrupted.",
            discussion: """
            One report per card (JSON Lines with --json). A card pulled mid-read is reported and the loop goes on. \
            With --store, every card read is linked to the registry and its event recorded (the read JSON gains "registry", as `cccd read --store`).
            """)

        @OptionGroup var options: ReadOptions

        @OptionGroup var registry: ReadRegistryOptions

        func validate() throws {
            guard options.simulated || options.accessGiven else { throw ValidationError("watch needs --can, --mrz or --id for the cards it reads") }
            if options.simulated && registry.store != nil { throw ValidationError("--simulated cannot be combined with --store") }
        }

        func run() async throws {
            let output = Output(json: options.json)
            let trace = try APDULog(path: options.logApdus)
            if options.simulated {
                // The built-in card is presented once: read it like any presented card, then stop.
                let progress = ProgressLine(enabled: !options.json)
                do {
                    let r = try await ReadFlow.readBuiltIn(progress: progress, trace: trace)
                    progress.finish()
                    if options.json { output.printJSON(r) } else { print(HumanReport.render(r, note: nil) + "\n") }
                    return
                } catch {
                    progress.finish()
                    throw output.fail(ReadFlow.classify(error))
                }
            }
            guard let key = try options.accessKey() else { throw output.fail(.usage("watch needs --can, --mrz or --id for the cards it reads")) }
            let stationOptions = StationOptions(trust: try options.trustStore(), readTimeout: nil, trace: trace.observer)
            let readers = ReaderSelection.filter(options.reader)
            do {
                guard let storeURL = registry.store else {
                    try await Self.loop(CardStation(options: stationOptions), readers: readers, key: key, output: output) { (nothing: Never) -> RegistryLink? in switch nothing {} }
                    return
                }
                let context = ReadContext(station: registry.station, team: registry.team, device: StoreOpener.device, operator: registry.operatorID)
                try await StoreOpener.with(storeURL) { store in
                    let station = CardStation(options: stationOptions, recorder: RegistryRecorder(store: store, context: context))
                    try await Self.loop(station, readers: readers, key: key, output: output) { $0 }
                }
            } catch let e as StationError {
                throw output.fail(ReadFlow.classify(e))
            }
        }

        /// Reads until interrupted, one report per card.
        static func loop<R: ReadoutRecorder>(_ station: CardStation<R>, readers: ReaderSelection, key: AccessKey, output: Output,
                                             link: @escaping @Sendable (R.Record) -> RegistryLink?) async throws {
            try await withInterruptCancellation {
                let progress = ProgressLine(enabled: !output.json)
                for try await event in station.events(readers: readers, key: .fixed(key)) {
                    switch event {
                    case .progress(_, let p):
                        progress.update(p)
                    case .outcome(let outcome):
                        progress.finish()
                        report(outcome, registry: outcome.record.flatMap(link), output: output)
                        fflush(nil)
                    default:
                        continue
                    }
                }
            }
        }

        /// One report per card: the readout (with the registry's link), or an error object naming the reader.
        static func report<R: Sendable>(_ outcome: ReadOutcome<R>, registry: RegistryLink?, output: Output) {
            do {
                let r = try outcome.get()
                if output.json {
                    output.printJSON(LinkedReadout(readout: r, registry: registry))
                } else {
                    print(HumanReport.render(r, note: nil) + (registry.map { "\n" + RegistryReport.render($0) } ?? "") + "\n")
                }
            } catch {
                let e = ReadFlow.classify(error)
                let reader = outcome.card.reader
                FileHandle.standardError.write(Data("cccd: \(reader): \(e.description)\n".utf8))
                if output.json { output.printJSON(["error": ["code": e.code, "message": e.description, "reader": reader]]) }
            }
        }
    }
}
