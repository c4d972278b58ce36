import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import MRTDCrypto

/// Deterministic randomness for recording and replaying a read: block i is SHA-256(seed ‖ i).
/// Replay needs the very same bytes the recording drew, nothing more.
public final class SeededRandom: RandomSource, Sendable {
    private let seed: [UInt8]
    private let state = Locked((counter: UInt64(0), buffer: [UInt8]()))

    public init(_ seed: String) { self.seed = Array(seed.utf8) }

    public func bytes(_ count: Int) -> [UInt8] {
        state.withLock { s in
            while s.buffer.count < count {
                let c = withUnsafeBytes(of: s.counter.bigEndian) { Array($0) }
                s.buffer += HashAlgorithm.sha256.hash(seed + c)
                s.counter += 1
            }
            let out = Array(s.buffer.prefix(count))
            s.buffer.removeFirst(count)
            return out
        }
    }
}

/// Passes every exchange through and keeps it, for a `TranscriptChannel` to replay.
public final class RecordingChannel: CardChannel, Sendable {
    public let base: any CardChannel
    private let log = Locked([TranscriptChannel.Exchange]())

    public init(_ base: any CardChannel) { self.base = base }

    public var limits: TransportLimits { base.limits }
    public var maxShortNe: Int { base.maxShortNe }
    public var exchanges: [TranscriptChannel.Exchange] { log.current }

    public func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU {
        let response = try await base.transmit(command)
        let bytes = try command.encoded()
        log.withLock { $0.append(.init(command: bytes, response: response.bytes)) }
        return response
    }
}

/// The card and the verification context every benchmark uses: the Vietnamese profile of issue 13
/// (PACE-CAN brainpoolP256r1 AES-128, CA ECDH, AA RSA-2048, DG2 16 KB, CSCA brainpoolP512r1).
public enum Fixture {
    public static let date = ISO8601DateFormatter().date(from: "2026-11-29T00:00:00Z")!
    public static let can = "012345"

    public static var profile: CardProfile {
        var p = CardProfile.sample
        p.activeAuthentication = .rsa2048
        return p
    }

    /// The profile as `cccd simulate --profile` takes it.
    public static let profileJSON = #"{ "citizen": { "idNumber": "001099012345", "fullName": "Nguyễn Văn An", "dateOfBirth": "1999-02-01", "sex": "M" }, "activeAuthentication": "rsa2048" }"#

    public static func trust(_ pki: TestPKI) throws -> TrustStore {
        var t = TrustStore()
        try t.importBytes(pki.cscaCertificate, name: "csca.der", at: date)
        try t.importBytes(pki.crl, name: "csca.crl", at: date)
        return t
    }

    public static func readerOptions(trust: TrustStore, seed: String = "reader") -> CardReader.Options {
        CardReader.Options(trust: trust, date: date, random: SeededRandom(seed))
    }
}

/// One full read + verification recorded against the in-process simulated chip.
public struct RecordedRead: Sendable {
    public let exchanges: [TranscriptChannel.Exchange]
    public let trust: TrustStore
    public let atr: [UInt8]
    public let limits: TransportLimits

    /// Records `CardReader.read` once, with fixed randomness on both sides.
    public static func record(limits: TransportLimits = .extended) async throws -> RecordedRead {
        let card = try PersonalizedCard.personalize(Fixture.profile)
        let chip = SimulatedChip(card: card, random: SeededRandom("chip"))
        let recorder = RecordingChannel(InProcessChannel(card: chip, limits: limits))
        let trust = try Fixture.trust(card.pki)
        let readout = try await CardReader(options: Fixture.readerOptions(trust: trust))
            .read(channel: recorder, key: .can(Fixture.can), reader: "recording", atr: chip.atr)
        guard readout.verdict == .genuine else { throw BenchmarkSetupError("recorded read is \(readout.verdict), not genuine") }
        return RecordedRead(exchanges: recorder.exchanges, trust: trust, atr: chip.atr, limits: limits)
    }

    /// Replays the read (and its verification) from the transcript: no card, no transport cost.
    public func replay() async throws -> CardReadout {
        let channel = TranscriptChannel(exchanges, limits: limits)
        let readout = try await CardReader(options: Fixture.readerOptions(trust: trust))
            .read(channel: channel, key: .can(Fixture.can), reader: "replay", atr: atr)
        guard channel.isComplete else { throw BenchmarkSetupError("replay stopped after \(channel.consumed) of \(exchanges.count) exchanges") }
        return readout
    }
}

public struct BenchmarkSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
