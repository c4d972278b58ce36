import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Registry
import SyncProtocol

/// The device's HTTP client for the `/v1` sync API (AsyncHTTPClient). Plain `http://` is
/// accepted only for a loopback host, as the service only listens in clear there; `https://`
/// verifies the server against the system roots or the `caFile` given.
public final class SyncClient: Sendable {
    let http: HTTPClient
    let base: String
    let token: String
    let timeout: TimeAmount

    public init(url: String, token: String, caFile: String? = nil, timeoutSeconds: Int64 = 60) throws(SyncClientError) {
        guard let u = URLComponents(string: url), let scheme = u.scheme, scheme == "http" || scheme == "https", let host = u.host, !host.isEmpty else {
            throw .usage("--to must be an http(s)://HOST[:PORT] URL")
        }
        if scheme == "http" {
            // A literal 127.x.x.x address (never a name such as 127.example.org), localhost or ::1.
            let octets = host.split(separator: ".", omittingEmptySubsequences: false)
            let loopback = host == "localhost" || host == "::1" || host == "[::1]"
                || (octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil })
            guard loopback else { throw .usage("refusing plain http:// to \(host): use https:// (tokens never travel in clear beyond loopback)") }
        }
        guard !token.isEmpty, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { throw .usage("the token is empty or malformed") }
        var config = HTTPClient.Configuration()
        if scheme == "https" {
            var tls = TLSConfiguration.makeClientConfiguration()
            if let caFile { tls.trustRoots = .file(caFile) }
            config.tlsConfiguration = tls
        }
        config.timeout = .init(connect: .seconds(10), read: .seconds(timeoutSeconds))
        // A refused connection is an answer (the service is down): report it at once (exit 4)
        // rather than retrying until the connect timeout; the next `cccd sync` resumes.
        config.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
        self.base = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.token = token
        self.timeout = .seconds(timeoutSeconds)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    public func deviceInfo() async throws(SyncClientError) -> DeviceInfo {
        try await call(.GET, SyncAPI.devicePath, body: nil, as: DeviceInfo.self)
    }

    public func push(_ batch: EventBatch) async throws(SyncClientError) -> BatchReceipt {
        let data: Data
        do { data = try JSONEncoder().encode(batch) } catch { throw .badResponse("cannot encode the batch") }
        return try await call(.POST, SyncAPI.eventsPath, body: data, as: BatchReceipt.self)
    }

    public func statusUpdates(after cursor: Int64, limit: Int) async throws(SyncClientError) -> StatusUpdatePage {
        try await call(.GET, SyncAPI.statusUpdatesPath + "?after=\(cursor)&limit=\(limit)", body: nil, as: StatusUpdatePage.self)
    }

    func call<T: Decodable>(_ method: HTTPMethod, _ path: String, body: Data?, as: T.Type) async throws(SyncClientError) -> T {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: SyncAPI.maxBodyBytes)
        } catch {
            throw .unavailable("cannot reach the sync service (\(Self.describe(error)))")
        }
        let data = Data(bytes.readableBytesView)
        guard status == 200 else {
            if let e = try? JSONDecoder().decode(SyncErrorBody.self, from: data) {
                if e.error.code == .unavailable || status >= 500 { throw .unavailable("the sync service answered \(status): \(e.error.message)") }
                throw .refused(e.error)
            }
            if status >= 500 { throw .unavailable("the sync service answered \(status)") }
            throw .badResponse("the sync service answered \(status) without an error body")
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch { throw .badResponse("the sync service's answer is not what the API defines") }
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? HTTPClientError { return e.description }
        return String(String(describing: error).prefix(200)).replacingOccurrences(of: "\n", with: " ")
    }
}

/// Why a sync did not complete: the CLI maps `unavailable` to exit 4, `refused` to exit 1
/// (with the server's code), `usage` to exit 2.
public enum SyncClientError: Error, Sendable, Hashable, CustomStringConvertible {
    case usage(String)
    case unavailable(String)
    case refused(SyncError)
    case badResponse(String)

    public var code: String {
        switch self {
        case .usage: return "usage"
        case .unavailable: return "syncUnavailable"
        case .refused(let e): return e.code.rawValue
        case .badResponse: return "badResponse"
        }
    }

    public var description: String {
        switch self {
        case .usage(let s), .unavailable(let s), .badResponse(let s): return s
        case .refused(let e): return "refused by the centre: \(e.description)"
        }
    }
}
