import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Registry
import SyncProtocol

/// The central sync service (`cccd serve`): the `/v1` JSON API of `SyncAPI` over a central
/// store. Every request is authenticated by its device token; every failure is a typed
/// `SyncErrorBody`, never a stack trace; tokens and event contents are never logged.
public struct SyncService: Sendable {
    public let store: any CentralSyncStore
    public let faults: SyncFaults?

    public init(store: any CentralSyncStore, faults: SyncFaults? = nil) {
        self.store = store
        self.faults = faults
    }

    /// TLS material for `--tls-cert` / `--tls-key` (PEM files).
    public struct TLSFiles: Sendable, Hashable {
        public var certificate: String
        public var key: String
        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// Runs the service until cancelled (or SIGINT/SIGTERM with `gracefulShutdown`).
    /// `onListening` receives the bound port (useful with port 0).
    public func run(listen: ListenAddress, tls: TLSFiles?, gracefulShutdown: Bool = true, logger: Logger,
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        guard tls != nil || listen.isLoopback else { throw SyncServerError.plainHTTPNotLoopback(listen.description) }
        let server: HTTPServerBuilder
        if let tls {
            let config: TLSConfiguration
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(tls.certificate).map { NIOSSLCertificateSource.certificate($0) }
                let key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
                config = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            } catch {
                throw SyncServerError.tls("cannot load the certificate or key (\(error))")
            }
            do { server = try .tls(.http1(), tlsConfiguration: config) } catch { throw SyncServerError.tls("\(error)") }
        } else {
            server = .http1()
        }
        let app = Application(
            router: router(), server: server,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? listen.port) },
            logger: logger)
        if gracefulShutdown { try await app.runService() } else { try await app.run() }
    }

    public func router() -> Router<SyncRequestContext> {
        let router = Router(context: SyncRequestContext.self)
        router.get(RouterPath(SyncAPI.devicePath)) { request, _ in await self.respond { try await self.deviceInfo(request) } }
        router.post(RouterPath(SyncAPI.eventsPath)) { request, context in await self.respond { try await self.events(request, context) } }
        router.get(RouterPath(SyncAPI.statusUpdatesPath)) { request, _ in await self.respond { try await self.statusUpdates(request) } }
        return router
    }

    // MARK: - Endpoints

    func deviceInfo(_ request: Request) async throws -> Response {
        let device = try await authenticate(request)
        return Self.json(DeviceInfo(device: device.name, team: device.team, province: device.province, head: try await store.head(device: device.name)))
    }

    func events(_ request: Request, _ context: SyncRequestContext) async throws -> Response {
        let device = try await authenticate(request)
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: SyncAPI.maxBodyBytes) } catch {
            throw SyncError(.tooLarge, "request body larger than \(SyncAPI.maxBodyBytes) bytes")
        }
        let batch: EventBatch
        do { batch = try JSONDecoder().decode(EventBatch.self, from: Data(body.readableBytesView)) } catch {
            throw SyncError(.badRequest, "the body is not an event batch")
        }
        let events = try await BatchValidation.events(batch, device: device.name, parts: Self.validationParts)
        try BatchValidation.scope(events, device: device)
        let result: IngestResult
        do { result = try await store.ingest(events, device: device.name, now: Date()) } catch let r as IngestRefusal { throw Self.error(r) }
        if let faults, faults.shouldLoseResponse() {
            try? await context.channel.close()
            throw CancellationError()
        }
        return Self.json(BatchReceipt(device: device.name, head: result.head, receipts: result.receipts))
    }

    func statusUpdates(_ request: Request) async throws -> Response {
        let device = try await authenticate(request)
        let q = request.uri.queryParameters
        guard let after = q["after"].map({ Int64(String($0)) }) ?? 0, after >= 0 else { throw SyncError(.badRequest, "after must be a cursor ≥ 0") }
        guard let limit = q["limit"].map({ Int(String($0)) }) ?? 1000, (1...SyncAPI.maxPageSize).contains(limit) else {
            throw SyncError(.badRequest, "limit must be 1…\(SyncAPI.maxPageSize)")
        }
        let updates = try await store.statusUpdates(after: after, province: device.province, limit: limit)
        return Self.json(StatusUpdatePage(updates: updates, cursor: updates.last?.cursor ?? after, more: updates.count == limit))
    }

    // MARK: - Authentication and answers

    func authenticate(_ request: Request) async throws -> SyncDevice {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.count > 7 else {
            throw SyncError(.unauthorized, "missing bearer token")
        }
        let token = String(header.dropFirst(7))
        guard let device = try await store.device(tokenSHA256: DeviceToken.digest(token)) else {
            throw SyncError(.unauthorized, "unknown or revoked token")
        }
        return device
    }

    /// Turns every failure into a typed JSON error (a cancelled request — the fault hook — is rethrown).
    func respond(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let e as SyncError {
            return Self.json(SyncErrorBody(e), status: e.httpStatus)
        } catch let e as RegistryError {
            if case .store = e { return Self.json(SyncErrorBody(SyncError(.unavailable, "central store unavailable")), status: 503) }
            return Self.json(SyncErrorBody(SyncError(.badRequest, e.description)), status: 400)
        } catch is CancellationError {
            return Response(status: .internalServerError)
        } catch {
            return Self.json(SyncErrorBody(SyncError(.unavailable, "internal error")), status: 503)
        }
    }

    /// Tasks that check a batch's events (the machine's cores, at most 4).
    static let validationParts = min(4, max(1, ProcessInfo.processInfo.activeProcessorCount))

    static func error(_ r: IngestRefusal) -> SyncError {
        switch r {
        case .sequenceGap(let id, let seq, let expected):
            return SyncError(.sequenceGap, "event \(seq) received where \(expected) was expected (an event is missing)", eventId: id, seq: seq)
        case .chainBroken(let id, let seq):
            return SyncError(.chainBroken, "previous hash does not match the centre's event \(seq - 1) of this device", eventId: id, seq: seq)
        case .sequenceConflict(let id, let seq):
            return SyncError(.sequenceConflict, "the centre holds another event at this sequence", eventId: id, seq: seq)
        case .idConflict(let id, let seq):
            return SyncError(.idConflict, "an event with this id is already stored for another chain position", eventId: id, seq: seq)
        }
    }

    static func json<T: Encodable>(_ value: T, status: Int = 200) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
