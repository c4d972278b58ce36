import ArgumentParser
import CCCD
import Foundation
import MRTD
import PCSC
import Station

extension CCCD {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Read every card as it is presented, until interrupted.",
            discussion: "One report per card (JSON Lines with --json). A card pulled mid-read is reported and the loop goes on.")

        @OptionGroup var options: ReadOptions

        func validate() throws {
            guard options.simulated || options.accessGiven else { throw ValidationError("watch needs --can, --mrz or --id for the cards it reads") }
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
            let station = ReadFlow.station(trust: try options.trustStore(), trace: trace)
            let opts = options
            do {
                try await withInterruptCancellation {
                    let progress = ProgressLine(enabled: !opts.json)
                    for try await event in station.events(readers: .filter(opts.reader), key: .fixed(key)) {
                        switch event {
                        case .progress(_, let p):
                            progress.update(p)
                        case .outcome(let outcome):
                            progress.finish()
                            Self.report(outcome, output: output)
                            fflush(nil)
                        default:
                            continue
                        }
                    }
                }
            } catch let e as StationError {
                throw output.fail(ReadFlow.classify(e))
            }
        }

        /// One report per card: the readout, or an error object naming the reader.
        static func report(_ outcome: ReadOutcome<Never>, output: Output) {
            do {
                let r = try outcome.get()
                if output.json { output.printJSON(r) } else { print(HumanReport.render(r, note: nil) + "\n") }
            } catch {
                let e = ReadFlow.classify(error)
                let reader = outcome.card.reader
                FileHandle.standardError.write(Data("cccd: \(reader): \(e.description)\n".utf8))
                if output.json { output.printJSON(["error": ["code": e.code, "message": e.description, "reader": reader]]) }
            }
        }
    }
}
