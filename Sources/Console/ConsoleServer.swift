import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import ISO7816
import Logging
import NIOCore
import NIOSSL
import Registry
import ServiceLifecycle

/// `cccd console`: the Hummingbird server on the station's own machine. One page and its assets
/// (all compiled into the binary), a server-sent event stream of the page's state, the card photo
/// from memory, and three actions — a key for a card, a hand-over, the campaign figures.
public struct ConsoleServer: Sendable {
    public let configuration: ConsoleConfiguration
    let hub: ConsoleHub
    let driver: ConsoleDriver
    let logger: Logger

    public init(configuration: ConsoleConfiguration, logger: Logger = Logger(label: "cccd.console")) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        hub = ConsoleHub(configuration: configuration)
        driver = ConsoleDriver(configuration: configuration, hub: hub, logger: logger)
    }

    /// Serves until cancelled. `onRunning` gets the bound address (the port, when 0 was asked for).
    public func run(onRunning: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }) async throws {
        let bound = Locked(configuration.port)
        let server: HTTPServerBuilder
        if let cert = configuration.tlsCertificate, let key = configuration.tlsKey {
            server = try .tls(.http1(), tlsConfiguration: Self.tls(certificate: cert, key: key))
        } else {
            server = .http1()
        }
        let app = Application(
            router: makeRouter(port: { bound.current }), server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                bound.withLock { $0 = port }
                await onRunning(channel.localAddress?.ipAddress ?? configuration.host, port)
            },
            logger: logger)
        let (driver, hub) = (self.driver, self.hub)
        let services = ServiceGroup(services: [app], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await driver.run() }
            group.addTask { try await Self.serveUntilCancelled(services, hub: hub) }
            // Either ending ends the console (the driver only ends when cancelled).
            try await group.next()
            group.cancelAll()
        }
    }

    /// Cancelling Hummingbird's server cuts the requests in flight and logs an error; stopping a
    /// console is routine, so cancellation becomes a graceful shutdown instead: the pages' event
    /// streams end, the server lets the requests in flight finish (two seconds at most) and stops.
    static func serveUntilCancelled(_ services: ServiceGroup, hub: ConsoleHub) async throws {
        // Not a child task: it must not see the cancellation, only the shutdown it triggers.
        let serving = Task { try await services.run() }
        try await withTaskCancellationHandler {
            try await serving.value
        } onCancel: {
            Task {
                await hub.closeStreams()
                await services.triggerGracefulShutdown()
                try? await Task.sleep(for: .seconds(2))
                serving.cancel()
            }
        }
    }

    static func tls(certificate: String, key: String) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
        } catch {
            throw ConsoleError.tls("cannot load --tls-cert/--tls-key: \(error)")
        }
    }

    struct KeyBody: Decodable { var key: String }

    func makeRouter(port: @escaping @Sendable () -> Int) -> Router<ConsoleRequestContext> {
        let router = Router(context: ConsoleRequestContext.self)
        let policy = PeerPolicy(tokenHash: configuration.tokenHash, host: configuration.host, port: port)
        router.add(middleware: SecurityMiddleware(policy: policy))
        let hub = self.hub
        let driver = self.driver
        let store = configuration.store

        router.get("/") { _, _ in ConsoleResponses.text(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in ConsoleResponses.text(PageAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/app.css") { _, _ in ConsoleResponses.text(PageAssets.style, type: "text/css; charset=utf-8") }
        router.get("/icon.svg") { _, _ in ConsoleResponses.text(PageAssets.icon, type: "image/svg+xml") }

        router.get("/api/state") { _, _ in
            ConsoleResponses.text(await hub.encodedState(), type: "application/json; charset=utf-8")
        }
        router.get("/api/events") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8"], body: ResponseBody { writer in
                let (id, stream) = await hub.subscribe()
                do {
                    for await json in stream {
                        try await writer.write(ByteBuffer(string: "event: state\ndata: \(json)\n\n"))
                    }
                } catch {
                    await hub.unsubscribe(id)
                    throw error
                }
                await hub.unsubscribe(id)
                try await writer.finish(nil)
            })
        }
        router.get("/photo/:token") { _, context in
            guard let token = context.parameters.get("token"), let photo = await hub.photo(token: token) else {
                return ConsoleResponses.json(["error": "no such photo (the card has left)"], status: .notFound)
            }
            return ConsoleResponses.bytes(photo.bytes, type: photo.contentType)
        }
        router.post("/api/readers/:id/key") { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let body = try? await request.decode(as: KeyBody.self, context: context) else {
                return ConsoleResponses.json(["error": "body must be {\"key\": \"…\"}"], status: .badRequest)
            }
            switch await driver.submitKey(readerID: id, text: body.key) {
            case .started: return ConsoleResponses.json(["status": "reading"], status: .accepted)
            case .invalid(let why): return ConsoleResponses.json(["error": why], status: .badRequest)
            case .unknownReader: return ConsoleResponses.json(["error": "no such reader"], status: .notFound)
            case .noCard: return ConsoleResponses.json(["error": "no card in this reader"], status: .conflict)
            case .busy: return ConsoleResponses.json(["error": "this card is being read"], status: .conflict)
            case .tooManyAttempts: return ConsoleResponses.json(["error": "wrong key twice: remove the card first"], status: .conflict)
            case .notInRegistry: return ConsoleResponses.json(["error": "no printed card with a CAN for this ID number"], status: .notFound)
            }
        }
        router.post("/api/readers/:id/hand-over") { _, context in
            let id = context.parameters.get("id") ?? ""
            switch await driver.handOver(readerID: id) {
            case .done: return ConsoleResponses.json(["status": "handedOver"])
            case .unknownReader: return ConsoleResponses.json(["error": "no such reader"], status: .notFound)
            case .notVerified: return ConsoleResponses.json(["error": "no verified card to hand over in this reader"], status: .conflict)
            case .noRegistry: return ConsoleResponses.json(["error": "the console has no registry (--store)"], status: .conflict)
            case .refused(let code): return ConsoleResponses.json(["error": code], status: .conflict)
            }
        }
        router.get("/api/campaign") { _, _ in
            guard let store else { return ConsoleResponses.json(CampaignView.noRegistry) }
            do {
                let stats = try await store.stats(province: nil, today: ISODate.day(of: Date()))
                return ConsoleResponses.json(CampaignView(stats))
            } catch {
                return ConsoleResponses.json(["error": "the registry could not be read"], status: .serviceUnavailable)
            }
        }
        return router
    }
}
