/// The events of a station (`CardStation.events`). Each iteration starts its own reader monitor;
/// ending the iteration stops it and every read it started.
public struct StationEvents<Record: Sendable>: AsyncSequence, Sendable {
    public typealias Element = StationEvent<Record>
    let start: @Sendable () -> AsyncThrowingStream<StationEvent<Record>, Error>

    public func makeAsyncIterator() -> AsyncThrowingStream<StationEvent<Record>, Error>.Iterator {
        start().makeAsyncIterator()
    }
}

/// The outcomes of a station (`CardStation.readouts`): one per presented card.
public struct StationReadouts<Record: Sendable>: AsyncSequence, Sendable {
    public typealias Element = ReadOutcome<Record>
    let events: StationEvents<Record>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<StationEvent<Record>, Error>.Iterator

        public mutating func next() async throws -> ReadOutcome<Record>? {
            while let event = try await base.next() {
                if case .outcome(let outcome) = event { return outcome }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: events.makeAsyncIterator()) }
}
