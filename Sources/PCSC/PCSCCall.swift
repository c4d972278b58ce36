internal import CPCSC
import Dispatch

/// The single funnel from a pcsc-lite return code to a Swift error.
@inline(__always)
func pcsc(_ call: StaticString, _ rv: LONG) throws {
    let code = UInt32(truncatingIfNeeded: rv)
    if let error = PCSCError(code: code) {
        pcscLogger.debug("\(call) failed: \(error)")
        throw error
    }
}

/// Runs blocking PC/SC calls on a dedicated serial queue, never on Swift's cooperative pool.
///
/// pcsc-lite calls block on a socket to pcscd (a transmit takes as long as the card); running them
/// on the cooperative pool would starve every other task on a 2-core station.
final class BlockingExecutor: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            queue.async {
                do { c.resume(returning: try body()) } catch { c.resume(throwing: error) }
            }
        }
    }
}

