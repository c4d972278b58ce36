import ISO7816

/// Checks for cancellation before every APDU, so a cancelled or timed-out read stops at the next
/// APDU boundary instead of at the end of the file it is reading.
struct CancellationCheckingChannel: ResettableChannel {
    let base: any CardChannel

    var limits: TransportLimits { base.limits }

    func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU {
        if Task.isCancelled { throw CancellationError() }
        return try await base.transmit(command)
    }

    func resetCard() async throws {
        guard let base = base as? ResettableChannel else { throw ResetUnsupported() }
        try await base.resetCard()
    }

}
