@testable import Console
import Foundation
import Logging
import MRTD
import Testing

/// Collects what a logger was told (tests only).
final class CapturedLogs: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(level: Logger.Level, message: String, source: String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        lock.lock()
        defer { lock.unlock() }
        entries.append((level, message.description, source))
    }

    var all: [(level: Logger.Level, message: String, source: String)] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }
}

/// Stopping the console is routine (Ctrl-C at the end of a shift): the pages' event streams end
/// properly, the stop is quick, and nothing is logged as an error.
struct ConsoleShutdownTests {
    @Test func stoppingEndsThePagesStreamsAndLogsNoError() async throws {
        let logs = CapturedLogs()
        var config = ConsoleHarness.configuration(trust: TrustStore())
        config.readers = .list(["no such reader — shutdown only"])
        let server = try ConsoleServer(configuration: config, logger: Logger(label: "console-test") { _ in logs })
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run(onRunning: { _, port in continuation.yield(port) }) }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        // A page watching: its event stream stays open until the console stops.
        let watching = Task { try await RawHTTP.requestOffPool("GET", port: port, path: "/api/events") }
        let deadline = ContinuousClock.now + .seconds(20)
        while await server.hub.subscriberCount == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await server.hub.subscriberCount == 1)
        let stopping = ContinuousClock.now
        task.cancel()
        _ = try? await task.value
        let took = ContinuousClock.now - stopping
        #expect(took < .seconds(2), "the console took \(took) to stop")
        let reply = try await watching.value
        #expect(reply.status == 200 && reply.body.contains("event: state"))
        #expect(reply.body.hasSuffix("0\r\n\r\n"), "the stream ended with its last chunk, not a cut connection")
        let errors = logs.all.filter { $0.level >= .error }
        #expect(errors.isEmpty, "logged: \(errors.map { "\($0.source): \($0.message)" })")
    }
}
