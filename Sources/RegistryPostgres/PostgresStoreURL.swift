import Foundation
import Registry

/// `postgres://user[:password]@host[:port]/db[?schema=name]`. TLS is not negotiated: the store is
/// meant for 127.0.0.1 or a private network (see docs/central-store.md).
public struct PostgresStoreURL: Sendable, Hashable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// A schema to work in (created by the migration), e.g. one per test.
    public var schema: String?

    public init(_ text: String) throws {
        guard let u = URLComponents(string: text), u.scheme == "postgres" || u.scheme == "postgresql" else {
            throw RegistryError.badStoreURL("expected postgres://user[:password]@host[:port]/db")
        }
        guard let user = u.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw RegistryError.badStoreURL("postgres URL needs a user")
        }
        guard let host = u.host, !host.isEmpty else { throw RegistryError.badStoreURL("postgres URL needs a host") }
        let db = String(u.path.drop(while: { $0 == "/" }))
        guard !db.isEmpty else { throw RegistryError.badStoreURL("postgres URL needs a database") }
        self.user = user
        self.password = u.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        self.host = host
        self.port = u.port ?? 5432
        self.database = db
        let schema = u.queryItems?.first { $0.name == "schema" }?.value
        if let schema, !(schema.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } && !schema.isEmpty) {
            throw RegistryError.badStoreURL("schema must be letters, digits and _")
        }
        self.schema = schema
    }

    /// The URL without the password, for messages.
    public var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
