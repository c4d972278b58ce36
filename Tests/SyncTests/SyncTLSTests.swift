import Foundation
import Logging
import Registry
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// `cccd serve --tls-cert --tls-key`: HTTPS with a certificate the client is told to trust.
@Suite(.enabled(if: SyncFixture.postgresAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct SyncTLSTests {
    @Test func httpsWithATrustedCertificateSyncsAndAnUntrustedOneIsRefused() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)

        let central = try await SyncFixture.central(try SyncFixture.centralURL())
        let (stream, cont) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "sync-tls-test")
        logger.logLevel = .critical
        let server = Task {
            defer { cont.finish() }
            try await SyncService(store: central).run(listen: try ListenAddress("127.0.0.1:0"), tls: .init(certificate: cert, key: key),
                                                      gracefulShutdown: false, logger: logger) { cont.yield($0) }
        }
        var port = 0
        for await p in stream { port = p; break }
        #expect(port > 0)
        let device = try await SyncFixture.device()
        try await SyncFixture.record(25, on: device, device: "tls-1")
        let token = try await SyncFixture.enrol(central, device: "tls-1")

        let untrusting = try SyncClient(url: "https://127.0.0.1:\(port)", token: token)
        await #expect(throws: SyncClientError.self) { _ = try await untrusting.deviceInfo() }
        await untrusting.shutdown()

        let client = try SyncClient(url: "https://127.0.0.1:\(port)", token: token, caFile: cert)
        let s = try await SyncRunner(store: device, client: client).run()
        #expect(s.pushed == 25 && s.remaining == 0)
        #expect(try await SyncFixture.centralCount(central, device: "tls-1") == 25)
        await client.shutdown()
        server.cancel()
        _ = try? await server.value
        try await central.close()
    }
}
