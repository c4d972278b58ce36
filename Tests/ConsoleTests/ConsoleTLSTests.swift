@testable import Console
import Foundation
import MRTD
import Testing

/// HTTPS through swift-nio-ssl: the console started with a certificate answers over TLS (checked
/// with the openssl command-line client) and refuses plain HTTP on the same port.
struct ConsoleTLSTests {
    static let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs openssl with `arguments`, `input` on stdin; returns stdout. Blocking calls stay on a
    /// Dispatch thread, off the cooperative pool the console under test runs on.
    static func run(_ arguments: [String], input: String = "") async throws -> String {
        guard let openssl else { throw WebDriver.Failure(description: "openssl is not installed") }
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<String, Error>) in
            DispatchQueue.global().async {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: openssl)
                p.arguments = arguments
                let out = Pipe(), inp = Pipe()
                p.standardOutput = out
                p.standardError = FileHandle.nullDevice
                p.standardInput = inp
                do { try p.run() } catch { c.resume(throwing: error); return }
                inp.fileHandleForWriting.write(Data(input.utf8))
                // s_client leaves after the server closes the connection (Connection: close).
                let data = out.fileHandleForReading.readDataToEndOfFile()
                try? inp.fileHandleForWriting.close()
                p.waitUntilExit()
                c.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }

    @Test(.enabled(if: openssl != nil || ProcessInfo.processInfo.environment["CI"] != nil, "openssl is not installed"))
    func httpsThroughSwiftNIOSSL() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("console-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("key.pem").path
        let cert = dir.appendingPathComponent("cert.pem").path
        _ = try await Self.run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                                "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"])
        var config = ConsoleHarness.configuration(trust: TrustStore())
        config.readers = .list(["no such reader — TLS only"])
        config.tlsCertificate = cert
        config.tlsKey = key
        try await ConsoleHarness.with(config) { console in
            let request = "GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:\(console.port)\r\nConnection: close\r\n\r\n"
            let reply = try await Self.run(["s_client", "-connect", "127.0.0.1:\(console.port)", "-quiet", "-ign_eof"], input: request)
            #expect(reply.hasPrefix("HTTP/1.1 200"), "over TLS: \(reply.prefix(120))")
            #expect(reply.lowercased().contains("content-security-policy: default-src 'self'"))
            #expect(reply.contains("\"readers\""))
            // Plain HTTP on the TLS port gets no HTTP answer.
            let plain = try? RawHTTP.request("GET", port: console.port, path: "/api/state", timeoutSeconds: 3)
            #expect(plain == nil || plain?.status != 200)
        }
    }
}
