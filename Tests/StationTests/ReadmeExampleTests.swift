// The README's "Library API" example, verbatim between the markers, run against a simulated card
// in a virtual reader. If this file stops compiling, the README is wrong.
import CardSimulator
import Foundation
import SimulatorHarness
import Testing

// README example begin
import CCCD
import MRTD
import Station

/// Verifies the next `count` cards presented on `readers`, one line per card.
func verifyCards(trust: TrustStore, readers: ReaderSelection, can: String, count: Int) async throws -> [String] {
    let station = CardStation(options: StationOptions(trust: trust, readTimeout: .seconds(30)))
    var lines: [String] = []
    for try await outcome in station.readouts(readers: readers, key: .can(can)).prefix(count) {
        if let error = outcome.error {
            lines.append("\(outcome.card.reader): \(error.code.rawValue) (\(error.message))")
        } else if let readout = outcome.readout {
            lines.append("\(outcome.card.reader): \(readout.verdict.rawValue)")
        }
    }
    return lines
}
// README example end

@Suite(.serialized)
struct ReadmeExampleTests {
    @Test func theReadmeExampleReadsACardInAVirtualReader() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let trust = try VirtualSlots.trust(for: chip)
        let lines = try await VirtualSlots.with(slots: [0]) {
            try await VirtualSlots.present(chip, slot: 0) {
                try await verifyCards(trust: trust, readers: .matching(VirtualReader.names[0]), can: chip.card.can, count: 1)
            }
        }
        #expect(lines == ["\(VirtualReader.names[0]): genuine"])
    }

    @Test func theReadmeMatchesThisFile() throws {
        let here = URL(fileURLWithPath: #filePath)
        let readme = try String(contentsOf: here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: here, encoding: .utf8)
        let begin = try #require(source.range(of: "// README example begin\n"))
        let end = try #require(source.range(of: "// README example end"))
        #expect(readme.contains("```swift\n" + source[begin.upperBound..<end.lowerBound] + "```"))
    }
}
