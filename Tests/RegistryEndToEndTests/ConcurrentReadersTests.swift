import CCCDTestSupport
import Foundation
import Testing

/// Several `cccd` processes recording at once on one store (officers' status changes from
/// three devices, no card needed): every change gets its own event, none is lost or duplicated,
/// and every device chain stays intact. (In-process concurrent links: `StoreSuiteTests`.)
struct ConcurrentWritersTests {
    @Test(arguments: RegistryReadTests.Kind.testable) func parallelProcessesLoseAndDuplicateNothing(kind: RegistryReadTests.Kind) async throws {
        let store = try kind.url()
        let ids = (0..<8).map { "035099" + String(format: "%06d", 100 + $0) }
        let lines = ids.map { id -> [String: Any?] in
            ["type": "citizen", "idNumber": id, "fullName": "Nguyễn Văn An", "dateOfBirth": "1999-02-01", "sex": "M"]
        } + ids.map { RegistryReadTests.cardLine($0, issue: "2021-05-10", expiry: "2039-02-01", status: "handedOver") }
        try await RegistryReadTests.importRecords(store, lines)
        let runs = try await withThrowingTaskGroup(of: CLIRun.self) { g in
            for (i, id) in ids.enumerated() {
                g.addTask {
                    try await CLI.run(["card", "set-status", id, "--issued", "2021-05-10", i % 2 == 0 ? "reportedLost" : "revoked",
                                       "--store", store, "--station", "S\(i % 2)"], environment: ["CCCD_DEVICE": "officer-\(i % 3)"])
                }
            }
            return try await g.reduce(into: [CLIRun]()) { $0.append($1) }
        }
        for run in runs { #expect(run.status == 0, "\(run.stderr)") }
        let audit = try await CLI.run(["audit", "verify", "--json", "--store", store], environment: ["CCCD_DEVICE": "auditor"])
        #expect(audit.status == 0, "\(audit.stdout)")
        // The import's own events (one device) plus the eight changes on three devices.
        #expect(audit.json?["devices"] as? Int == 4)
        for id in ids {
            let show = try await CLI.run(["registry", "show", id, "--json", "--store", store])
            let reads = show.json?["reads"] as? [[String: Any]] ?? []
            #expect(reads.filter { $0["kind"] as? String == "cardStatus" }.count == 1)
        }
    }
}
