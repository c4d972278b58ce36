import Foundation
import Registry
import RegistryPostgres

/// PostgreSQL for the shared suite (Hardware/postgres/start.sh): each test works in its own fresh
/// schema. Unset or unreachable in CI is a failure, never a skip.
enum PostgresTestDatabase {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static func freshStore() async throws -> any RegistryStore {
        guard let url = ProcessInfo.processInfo.environment["CCCD_TEST_POSTGRES_URL"] else {
            throw Unavailable(description: "CCCD_TEST_POSTGRES_URL is not set (run Hardware/postgres/start.sh)")
        }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return try PostgresRegistryStore(url + (url.contains("?") ? "&" : "?") + "schema=" + schema)
    }
}
