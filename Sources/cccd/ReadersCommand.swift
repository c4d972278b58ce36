import ArgumentParser
import Foundation
import ISO7816
import PCSC

extension CCCD {
    struct Readers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "readers",
            abstract: "List smart-card readers, their cards and matched reader profiles.",
            discussion: "With --watch, print reader and card events as they happen until interrupted.")

        @Flag(help: "Print JSON (one object; JSON Lines with --watch).")
        var json = false

        @Flag(help: "Keep running and print events as readers and cards come and go.")
        var watch = false

        func run() async throws {
            let output = Output(json: json)
            do {
                if watch {
                    try await watchEvents(output)
                } else {
                    try await list(output)
                }
            } catch let error as PCSCError {
                throw output.fail(CLIError.pcsc(error))
            }
        }

        private func list(_ output: Output) async throws {
            let context = try await PCSCContext.establish()
            let states = try await context.readerStates()
            let catalog = ReaderProfileCatalog.standard
            let entries = states.map { s in
                ReaderEntry(name: s.reader, cardPresent: s.cardPresent, cardMute: s.cardMute,
                            atr: s.cardPresent ? s.atr.hex : nil,
                            profile: catalog.profile(forReader: s.reader).map(ProfileEntry.init))
            }
            if json {
                output.printJSON(ReadersReport(readers: entries))
                return
            }
            if entries.isEmpty {
                print("No smart-card reader found. Plug one in, or start the virtual reader (Hardware/virtual/start.sh).")
                return
            }
            for e in entries {
                print(e.name)
                let card = e.cardMute ? "mute card" : (e.cardPresent ? "card present, ATR \(e.atr ?? "")" : "no card")
                print("  \(card)")
                if let p = e.profile {
                    print("  profile: \(p.id) (\(p.name); extended length: \(p.extendedLength.map { $0 ? "yes" : "no" } ?? "probe"))")
                } else {
                    print("  profile: none (short APDUs until probed)")
                }
            }
        }

        private func watchEvents(_ output: Output) async throws {
            try await withInterruptCancellation {
                for try await event in ReaderEvents(includeCurrent: true) {
                    if json {
                        output.printJSON(EventEntry(event))
                    } else {
                        print(event.description)
                    }
                    fflush(nil)
                }
            }
        }
    }
}

struct ReadersReport: Encodable {
    var readers: [ReaderEntry]
}

struct ReaderEntry: Encodable {
    var name: String
    var cardPresent: Bool
    var cardMute: Bool
    var atr: String?
    var profile: ProfileEntry?

    enum CodingKeys: String, CodingKey { case name, cardPresent, cardMute, atr, profile }
    func encode(to e: Encoder) throws {
        var c = e.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(cardPresent, forKey: .cardPresent)
        try c.encode(cardMute, forKey: .cardMute)
        try c.encode(atr, forKey: .atr)
        try c.encode(profile, forKey: .profile)
    }
}

struct ProfileEntry: Encodable {
    var id: String
    var name: String
    var extendedLength: Bool?
    var maxCommandBytes: Int
    var maxResponseBytes: Int

    init(_ p: ReaderProfile) {
        id = p.id
        name = p.name
        extendedLength = p.extendedLength
        maxCommandBytes = p.maxCommandBytes
        maxResponseBytes = p.maxResponseBytes
    }

    enum CodingKeys: String, CodingKey { case id, name, extendedLength, maxCommandBytes, maxResponseBytes }
    func encode(to e: Encoder) throws {
        var c = e.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(extendedLength, forKey: .extendedLength)
        try c.encode(maxCommandBytes, forKey: .maxCommandBytes)
        try c.encode(maxResponseBytes, forKey: .maxResponseBytes)
    }
}

struct EventEntry: Encodable {
    var event: String
    var reader: String
    var atr: String?

    init(_ e: ReaderEvent) {
        reader = e.reader
        switch e {
        case .readerAttached: event = "readerAttached"
        case .readerDetached: event = "readerDetached"
        case .cardInserted(_, let atr): event = "cardInserted"; self.atr = atr.hex
        case .cardRemoved: event = "cardRemoved"
        case .cardMute: event = "cardMute"
        }
    }
}
