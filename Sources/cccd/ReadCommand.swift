import ArgumentParser
import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import PCSC
import Registry
import Station

extension CCCD {
    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read and verify one card.",
            discussion: """
            Reads the card in the first reader holding one (or --reader). With --simulated, reads the built-in \
            simulated card instead — in a free virtual reader when pcscd and vsmartcard-vpcd are installed, \
            otherwise in-process; nothing else ever stands in for a card.
            Exit codes: 0 genuine, 1 rejected, 2 usage error, 3 access denied, 4 reader or card error (no card), 5 unverified.
            """)

        @OptionGroup var options: ReadOptions

        @Option(help: "Write the face image, exactly as stored (JPEG or JPEG 2000), to this file.")
        var photo: String?

        @OptionGroup var registry: ReadRegistryOptions

        func run() async throws {
            try await ReadFlow.readAndLink(options, photo: photo, registry: registry) { readout, note, link in
                HumanReport.render(readout, note: note) + (link.map { "\n" + RegistryReport.render($0) } ?? "")
            }
        }
    }
}

/// Where APDU traces go (`--log-apdus`): redacted lines, never payloads.
final class APDULog: @unchecked Sendable {
    private let handle: FileHandle?
    private let lock = NSLock()

    init(path: String?) throws {
        guard let path else { handle = nil; return }
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("--log-apdus: cannot write \(path)")
        }
        handle = h
    }

    var observer: (@Sendable (APDUTraceEntry) -> Void)? {
        guard handle != nil else { return nil }
        return { [self] e in
            lock.lock()
            defer { lock.unlock() }
            handle?.write(Data((e.line + "\n").utf8))
        }
    }
}

/// The read flow shared by `read`, `watch`, `confirm` and `station hand-over`.
enum ReadFlow {
    /// `cccd read` and `cccd confirm`: read once, write the photo, link (with `--store`), print the
    /// read JSON (with `registry`) or the human report, exit with the verdict's status (6 for a
    /// genuine card with registry alerts).
    static func readAndLink(_ options: ReadOptions, photo: String?, registry: ReadRegistryOptions,
                            human: (CardReadout, String?, RegistryLink?) -> String) async throws {
        let output = Output(json: options.json)
        let trace = try APDULog(path: options.logApdus)
        let progress = ProgressLine(enabled: !options.json)
        do {
            let (readout, note) = try await readOnce(options, progress: progress, trace: trace)
            progress.finish()
            if let photo, let data = readout.photoData {
                do { try PrivateFile.write(data, to: photo) } catch {
                    throw output.fail(.failed(code: "photoNotWritten", message: "cannot write \(photo): \(error)", exit: .communication))
                }
            }
            let link = try await registry.link(readout)
            if options.json { output.printJSON(LinkedReadout(readout: readout, registry: link)) } else { print(human(readout, note, link)) }
            throw ExitCode(ReadRegistryOptions.exitStatus(readout.verdict, link))
        } catch let e as ExitCode {
            throw e
        } catch {
            progress.finish()
            throw output.fail(classify(error))
        }
    }

    static func exitStatus(_ v: CardReadout.Verdict) -> ExitStatus {
        switch v {
        case .genuine: return .genuine
        case .rejected: return .rejected
        case .unverified: return .unverified
        }
    }

    /// Finds the card (a reader's, now or within --wait; or the built-in one when asked for by
    /// name), reads and verifies it through the `Station` API. No card is never a card: it is
    /// `noCard`, exit 4.
    /// `fallbackKey` opens the card when the options give no key (e.g. the CAN of a card record).
    static func readOnce(_ o: ReadOptions, progress: ProgressLine, trace: APDULog, fallbackKey: AccessKey? = nil) async throws -> (CardReadout, String?) {
        if o.simulated { return (try await readBuiltIn(progress: progress, trace: trace), nil) }
        let trust = try o.trustStore()
        let key = try o.accessKey() ?? fallbackKey
        var found: (String, [UInt8])?
        do {
            found = try await CardSource.readerWithCard(o.reader)
            if found == nil, let w = o.wait {
                found = try await PCSCContext.waitForCard(reader: o.reader, timeout: .milliseconds(Int(w * 1000)))
            }
        } catch PCSCError.timeout {
            throw CLIError.noCard(waited: o.wait.map { Int($0) })
        }
        guard let (reader, atr) = found else { throw CLIError.noCard(waited: nil) }
        guard let key else { throw CLIError.usage("give --can, --mrz or --id (or $CCCD_CAN) to open the card in \(reader)") }
        let outcome = await station(trust: trust, trace: trace)
            .read(reader: reader, atr: atr, key: .fixed(key), progress: { progress.update($0) })
        return (try outcome.get(), nil)
    }

    /// The CLI's station: no read timeout (a read takes as long as the card needs, as before).
    static func station(trust: TrustStore, trace: APDULog) -> CardStation<NoRecorder> {
        CardStation(options: StationOptions(trust: trust, readTimeout: nil, trace: trace.observer))
    }

    /// The built-in simulated card, read only because the user asked for it (`--simulated`). Its
    /// test CSCA and CRL are trusted for this read only; the readout is marked `simulated`.
    static func readBuiltIn(progress: ProgressLine, trace: APDULog) async throws -> CardReadout {
        try await CardSource.withBuiltInCard { channel, reader, atr, chip in
            var demoTrust = TrustStore()
            demoTrust.add(try Certificate(der: chip.card.pki.cscaCertificate))
            demoTrust.add(try CRL(der: chip.card.pki.crl))
            let outcome = await station(trust: demoTrust, trace: trace)
                .read(channel: channel, card: PresentedCard(reader: reader, atr: atr), key: .can(chip.card.can),
                      progress: { progress.update($0) })
            var r = try outcome.get()
            r.simulated = true
            return r
        }
    }

    /// Maps any failure to the CLI's error codes and exit statuses.
    static func classify(_ error: Error) -> CLIError {
        switch error {
        case let e as CLIError: return e
        case let e as StationError: return classify(e)
        case let e as PCSCError: return .pcsc(e)
        case let e as MRTDError:
            switch e {
            case .accessDenied: return .failed(code: "accessDenied", message: e.description, exit: .accessDenied)
            case .noAccessProtocol: return .failed(code: "noAccessProtocol", message: e.description, exit: .usage)
            case .cancelled: return .failed(code: "cancelled", message: "cancelled", exit: .communication)
            // Weak or fake domain parameters in EF.CardAccess: a hostile or broken card.
            case .unsafeDomainParameters: return .failed(code: "malformedCard", message: e.description, exit: .communication)
            default: return .failed(code: "cardError", message: e.description, exit: .communication)
            }
        case let e as LDSError: return .failed(code: "malformedCard", message: e.description, exit: .communication)
        case let e as AccessKeyError: return .usage(e.description)
        case let e as ValidationError: return .usage(e.message)
        case let e as TrustStoreError: return .failed(code: "trustStore", message: e.description, exit: .usage)
        case let e as ChannelLimitError: return .failed(code: "readerLimit", message: e.description, exit: .communication)
        case let e as ISO7816Error: return .failed(code: "cardError", message: e.description, exit: .communication)
        default: return .failed(code: "internal", message: "\(error)", exit: .communication)
        }
    }

    /// A station's error as the CLI reports it: the same code and message, the exit status of
    /// the README's table.
    static func classify(_ e: StationError) -> CLIError {
        switch e.code {
        case .usage: return .usage(e.message)
        case .accessDenied: return .failed(code: e.code.rawValue, message: e.message, exit: .accessDenied)
        case .noAccessProtocol, .trustStore: return .failed(code: e.code.rawValue, message: e.message, exit: .usage)
        default: return .failed(code: e.code.rawValue, message: e.message, exit: .communication)
        }
    }
}
