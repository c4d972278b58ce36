import CardSimulator
import Foundation
import ISO7816
import MRTD
import Testing

/// `SecureChannel` is `Sendable`: tasks sharing one session must not interleave their protect,
/// transmit and unprotect steps (the send sequence counter would fall out of step with the chip's).
struct SecureChannelConcurrencyTests {
    @Test func concurrentCommandsOnOneSessionAllVerify() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let channel = InProcessChannel(card: chip)
        let infos = try SecurityInfos(der: try #require(chip.card.files[.cardAccess]), file: "EF.CardAccess")
        let (sm, _) = try await PACE.establish(over: channel, key: .can(chip.card.can), selection: try PACE.select(from: infos))
        let select = try await sm.transmit(CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: ReadSession.applicationID))
        #expect(select.status.isSuccess)
        let dg1 = try #require(chip.card.files[.dataGroup(1)])
        try await withThrowingTaskGroup(of: ResponseAPDU.self) { group in
            for _ in 0..<24 {
                group.addTask { try await sm.transmit(CommandAPDU(ins: 0xB0, p1: 0x81, p2: 0, ne: 4)) }
            }
            for try await r in group {
                #expect(r.status.isSuccess)
                #expect(r.data == Array(dg1.prefix(4)))
            }
        }
        #expect(!sm.isClosed)
    }

    @Test func asyncMutexNeverOverlaps() async {
        let mutex = AsyncMutex()
        let inside = Locked((now: 0, most: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    await mutex.withLock {
                        inside.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                        await Task.yield()
                        inside.withLock { $0.now -= 1 }
                    }
                }
            }
        }
        #expect(inside.current.most == 1)
    }
}
