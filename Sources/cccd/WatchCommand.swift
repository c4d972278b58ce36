import ArgumentParser
import CCCD
import Foundation
import MRTD
import PCSC

extension CCCD {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
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
                    let r = try await ReadFlow.readBuiltIn { t in CardReader.Options(trust: t, progress: { progress.update($0) }, trace: trace.observer) }
                    progress.finish()
                    if options.json { output.printJSON(r) } else { print(HumanReport.render(r, note: nil) + "\n") }
                    return
                } catch {
                    progress.finish()
                    throw output.fail(ReadFlow.classify(error))
                }
            }
            guard let key = try options.accessKey() else { throw output.fail(.usage("watch needs --can, --mrz or --id for the cards it reads")) }
            let trust = try options.trustStore()
            let opts = options
            do {
                try await withInterruptCancellation {
                    for try await event in ReaderEvents(includeCurrent: true) {
                        guard case let .cardInserted(reader, atr) = event, ReaderName.matches(reader, opts.reader) else { continue }
                        let progress = ProgressLine(enabled: !opts.json)
                        do {
                            let r = try await CardSource.withCard(reader) { channel in
                                try await CardReader(options: .init(trust: trust, progress: { progress.update($0) }, trace: trace.observer))
                                    .read(channel: channel, key: key, reader: reader, atr: atr)
                            }
                            progress.finish()
                            if opts.json { output.printJSON(r) } else { print(HumanReport.render(r, note: nil) + "\n") }
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            progress.finish()
                            let e = ReadFlow.classify(error)
                            FileHandle.standardError.write(Data("cccd: \(reader): \(e.description)\n".utf8))
                            if opts.json { output.printJSON(["error": ["code": e.code, "message": e.description, "reader": reader]]) }
                        }
                        fflush(nil)
                    }
                }
            } catch let e as PCSCError {
                throw output.fail(.pcsc(e))
            }
        }
    }
}
