import Foundation
import MRTD
import Testing

struct ReadPhaseTimingsTests {
    @Test func phasesAddUpAndEncodeEveryKey() async throws {
        let clock = ReadPhaseClock()
        clock.add(.fileReading, .milliseconds(3))
        clock.add(.fileReading, .microseconds(1_250))
        let n = await clock.measure(.access) { () async -> Int in 42 }
        #expect(n == 42)
        #expect(throws: CancellationError.self) { try clock.measure(.passiveAuthentication) { throw CancellationError() } }
        let t = clock.timings
        #expect(t[.fileReading] == 4.25)
        #expect(t[.access] != nil)
        #expect(t[.passiveAuthentication] != nil)
        #expect(t[.chipAuthentication] == nil)
        let json = try #require(String(data: try JSONEncoder().encode(ReadPhaseTimings(milliseconds: [.fileReading: 4.256])), encoding: .utf8))
        #expect(json.contains("\"fileReading\":4.26"))
        #expect(json.contains("\"chipAuthentication\":null"))
        for phase in ReadPhase.allCases { #expect(json.contains("\"\(phase.rawValue)\"")) }
    }
}
