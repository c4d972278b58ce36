import CCCDTestSupport
import Foundation
import Testing

/// PostgreSQL: the application's role cannot UPDATE or DELETE events; a tamperer who re-grants
/// itself and disables the trigger is still found by `cccd audit verify`.
struct PostgresAppendOnlyTests {
    static let psql = "/usr/bin/psql"

    @Test(.enabled(if: RegistryReadTests.Kind.testable.contains(.postgres)))
    func appRoleCannotChangeEventsAndTamperingIsNamed() async throws {
        let store = try RegistryReadTests.Kind.postgres.url()
        let schema = try #require(store.split(separator: "=").last.map(String.init))
        let base = try #require(store.split(separator: "?").first.map(String.init))
        try await RegistryReadTests.importRecords(store, [
            ["type": "citizen", "idNumber": "035099012345", "fullName": "Nguyễn Văn An", "dateOfBirth": "1999-02-01", "sex": "M"],
            RegistryReadTests.cardLine("035099012345", issue: "2021-05-10", expiry: "2039-02-01", status: "handedOver"),
        ])
        for s in ["reportedLost", "revoked"] {
            let r = try await CLI.run(["card", "set-status", "035099012345", "--issued", "2021-05-10", s, "--store", store], environment: ["CCCD_DEVICE": "pg-station"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        func sql(_ q: String) throws -> (Int32, String) {
            try CLI.tool(Self.psql, [base, "-v", "ON_ERROR_STOP=1", "-qtAX", "-c", "SET search_path TO \(schema); " + q])
        }
        let update = try sql("UPDATE events SET station = 'x'")
        #expect(update.0 != 0 && update.1.contains("permission denied"))
        let delete = try sql("DELETE FROM events")
        #expect(delete.0 != 0 && delete.1.contains("permission denied"))
        #expect(try await CLI.run(["audit", "verify", "--store", store]).status == 0)
        // The owner can re-grant itself and disable the trigger: the chain still shows it.
        let tamper = try sql("""
            GRANT UPDATE ON events TO CURRENT_USER; ALTER TABLE events DISABLE TRIGGER events_no_change;
            UPDATE events SET payload = replace(payload, '"to":"reportedLost"', '"to":"revoked"') WHERE device = 'pg-station' AND seq = 1;
            """)
        #expect(tamper.0 == 0, "\(tamper.1)")
        let audit = try await CLI.run(["audit", "verify", "--json", "--store", store])
        #expect(audit.status == 1)
        let b = try #require(audit.json?["firstBreak"] as? [String: Any])
        #expect(b["device"] as? String == "pg-station" && b["seq"] as? Int == 1)
    }
}
