import CCCDTestSupport
import Foundation
import Registry
import RegistryPostgres
import RegistrySQLite
import SyncClient
import SyncProtocol
import Testing

/// `cccd serve` and `cccd sync` as processes, killed mid-batch; the contracts of their output.
@Suite(.enabled(if: SyncFixture.postgresAvailable), .serialized)
struct SyncCLITests {
    @Test func deviceAddPrintsExactlyDeviceAndTokenAndSyncRefusesARevokedOne() async throws {
        let url = try SyncFixture.centralURL()
        let central = try await SyncFixture.central(url)
        let add = try await CCCDProcess.run(["serve", "device", "add", "--team", "team-1", "--device", "laptop-7", "--store", url, "--json"])
        #expect(add.status == 0, "\(add.stderr)")
        let obj = try #require(CCCDProcess.json(add.stdout))
        #expect(Set(obj.keys) == ["device", "token"] && obj["device"] as? String == "laptop-7")
        let token = try #require(obj["token"] as? String)
        #expect(!add.stderr.contains(token))
        let again = try await CCCDProcess.run(["serve", "device", "add", "--team", "team-1", "--device", "laptop-7", "--store", url])
        #expect(again.status == 1)
        let service = try await RunningService.start(central)
        let path = SyncFixture.devicePath()
        let device = try await SyncFixture.device(path)
        try await SyncFixture.record(30, on: device, device: "laptop-7")
        let tokenFile = path + ".token"
        try (token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let ok = try await CCCDProcess.run(["sync", "--to", service.url, "--token-file", tokenFile, "--store", path, "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(!ok.stderr.contains("warning"))
        let summary = try #require(CCCDProcess.json(ok.stdout))
        #expect(summary["pushed"] as? Int == 30 && summary["duplicates"] as? Int == 0 && summary["remaining"] as? Int == 0 && summary["pulled"] as? Int == 0)
        let revoke = try await CCCDProcess.run(["serve", "device", "revoke", "laptop-7", "--store", url])
        #expect(revoke.status == 0, "\(revoke.stderr)")
        try await SyncFixture.record(3, on: device, device: "laptop-7")
        let refused = try await CCCDProcess.run(["sync", "--to", service.url, "--token", token, "--store", path, "--json"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--token is visible to other users in the process list"))
        #expect((CCCDProcess.json(refused.stdout)?["error"] as? [String: Any])?["code"] as? String == "unauthorized")
        #expect(try await SyncFixture.centralCount(central, device: "laptop-7") == 30)
        #expect(try await device.unsyncedCount(device: "laptop-7") == 3)
        // Nothing listening: exit 4, the outbox kept.
        await service.stop()
        let down = try await CCCDProcess.run(["sync", "--to", service.url, "--token", token, "--store", path, "--json"])
        #expect(down.status == 4)
        try await central.close()
    }

    @Test func plainHTTPOffLoopbackIsRefused() async throws {
        let url = try SyncFixture.centralURL()
        for listen in ["0.0.0.0:0", "10.1.2.3:8443"] {
            let r = try await CCCDProcess.run(["serve", "--store", url, "--listen", listen])
            #expect(r.status == 2 && r.stderr.contains("loopback"), "\(r.stderr)")
        }
        for to in ["http://192.0.2.1:8443", "http://127.attacker.example:8443"] {
            let client = try await CCCDProcess.run(["sync", "--to", to, "--token", "cccd_x", "--store", SyncFixture.devicePath()])
            #expect(client.status == 2 && client.stderr.contains("https"), "\(to): \(client.stderr)")
        }
    }

    @Test func clientKilledMidSyncIsCompletedByTheNextOne() async throws {
        let central = try await SyncFixture.central(try SyncFixture.centralURL())
        let service = try await RunningService.start(central)
        let path = SyncFixture.devicePath()
        let device = try await SyncFixture.device(path)
        try await SyncFixture.record(3000, on: device, device: "d1")
        let token = try await SyncFixture.enrol(central, device: "d1")
        let p = try CCCDProcess(["sync", "--to", service.url, "--token", token, "--store", path, "--batch", "20"])
        let started = try await CCCDProcess.until { try await SyncFixture.centralCount(central, device: "d1") >= 100 }
        p.kill()
        _ = await p.wait()
        #expect(started)
        try await Task.sleep(for: .milliseconds(300)) // a batch in flight may still commit at the centre
        let atKill = try await SyncFixture.centralCount(central, device: "d1")
        let acked = 3000 - (try await device.unsyncedCount(device: "d1"))
        #expect(atKill < 3000 && acked <= atKill)
        let r = try await CCCDProcess.run(["sync", "--to", service.url, "--token", token, "--store", path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try #require(CCCDProcess.json(r.stdout))
        #expect(s["pushed"] as? Int == 3000 - atKill && s["duplicates"] as? Int == atKill - acked && s["remaining"] as? Int == 0)
        #expect(try await SyncFixture.centralCount(central, device: "d1") == 3000)
        #expect(try await device.unsyncedCount(device: nil) == 0)
        #expect(try await central.verifyAudit().events == 3000)
        await service.stop()
        try await central.close()
    }

    @Test func serverKilledMidSyncIsCompletedAfterItRestarts() async throws {
        let url = try SyncFixture.centralURL()
        let central = try await SyncFixture.central(url)
        let device = try await SyncFixture.device()
        try await SyncFixture.record(3000, on: device, device: "d1")
        let token = try await SyncFixture.enrol(central, device: "d1")
        func serve() async throws -> (CCCDProcess, String) {
            let p = try CCCDProcess(["serve", "--store", url, "--listen", "127.0.0.1:0"])
            _ = await CCCDProcess.until { p.stdout.contains("listening on") }
            let line = try #require(p.stdout.split(separator: "\n").first { $0.contains("listening on") })
            return (p, String(try #require(line.split(separator: " ").last)))
        }
        let (server, base) = try await serve()
        let client = try SyncClient(url: base, token: token)
        let sync = Task { try await SyncRunner(store: device, client: client, batchSize: 20).run() }
        let started = try await CCCDProcess.until { try await SyncFixture.centralCount(central, device: "d1") >= 100 }
        server.kill()
        _ = await server.wait()
        #expect(started)
        await #expect(throws: SyncClientError.self) { _ = try await sync.value }
        await client.shutdown()
        let atKill = try await SyncFixture.centralCount(central, device: "d1")
        let acked = 3000 - (try await device.unsyncedCount(device: "d1"))
        #expect(atKill < 3000 && acked <= atKill)
        let (again, base2) = try await serve()
        let client2 = try SyncClient(url: base2, token: token)
        let s = try await SyncRunner(store: device, client: client2, batchSize: 500).run()
        #expect(s.remaining == 0 && s.pushed == 3000 - atKill && s.duplicates == atKill - acked)
        #expect(try await SyncFixture.centralCount(central, device: "d1") == 3000)
        #expect(try await central.verifyAudit().events == 3000)
        #expect(try await device.unsyncedCount(device: nil) == 0)
        await client2.shutdown()
        again.kill()
        _ = await again.wait()
        try await central.close()
    }

    @Test func staleDeviceWarnsOnEveryCommandThatOpensItsStore() async throws {
        let path = SyncFixture.devicePath()
        let device = try await SyncFixture.device(path)
        try await SyncFixture.record(2, on: device, device: "d1")
        let fresh = try await CCCDProcess.run(["registry", "stats", "--store", path])
        #expect(fresh.status == 0 && !fresh.stderr.contains("warning"), "\(fresh.stderr)")
        try await device.recordSync(at: Date().addingTimeInterval(-5 * 86_400))
        let stale = try await CCCDProcess.run(["registry", "stats", "--store", path])
        #expect(stale.status == 0 && stale.stderr.contains("last synced 5 days ago") && stale.stderr.contains("2 events"), "\(stale.stderr)")
        let relaxed = try await CCCDProcess.run(["audit", "verify", "--store", path], environment: ["CCCD_SYNC_WARN_DAYS": "7"])
        #expect(relaxed.status == 0 && !relaxed.stderr.contains("warning"))
        let off = try await CCCDProcess.run(["audit", "verify", "--store", path], environment: ["CCCD_SYNC_WARN_DAYS": "0"])
        #expect(!off.stderr.contains("warning"))
    }
}
