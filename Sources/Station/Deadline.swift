import ISO7816

/// Runs `body`, throwing `StationError` code `timeout` as soon as it has taken longer than
/// `limit`. `body` is then cancelled: a read stops at its next APDU boundary, in the background,
/// and its result is discarded. Cancelling the caller cancels `body` too.
func withDeadline<T: Sendable>(_ limit: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let limit else { return try await body() }
    let race = DeadlineRace<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            race.begin(c, work: Task { race.settle(await outcome(of: body)) },
                       timer: Task {
                           guard (try? await Task.sleep(for: limit)) != nil else { return }
                           race.settle(.failure(StationError.timeout(limit)))
                       })
        }
    } onCancel: {
        race.cancel()
    }
}

/// The first of the work and the timer to finish resumes the caller; the other is cancelled.
private final class DeadlineRace<T: Sendable>: Sendable {
    private let state = Locked<(continuation: CheckedContinuation<T, Error>?, work: Task<Void, Never>?, timer: Task<Void, Never>?,
                                early: Result<T, Error>?, cancelled: Bool)>((nil, nil, nil, nil, false))

    func begin(_ c: CheckedContinuation<T, Error>, work: Task<Void, Never>, timer: Task<Void, Never>) {
        let (early, cancelled) = state.withLock { s -> (Result<T, Error>?, Bool) in
            s.work = work
            s.timer = timer
            if s.early == nil { s.continuation = c }
            return (s.early, s.cancelled)
        }
        if cancelled { work.cancel(); timer.cancel() }
        if let early { c.resume(with: early) }
    }

    func settle(_ result: Result<T, Error>) {
        let (c, tasks) = state.withLock { s -> (CheckedContinuation<T, Error>?, [Task<Void, Never>]) in
            guard s.early == nil else { return (nil, []) }
            s.early = result
            let c = s.continuation
            s.continuation = nil
            return (c, [s.work, s.timer].compactMap { $0 })
        }
        guard c != nil || !tasks.isEmpty else { return }
        for t in tasks { t.cancel() }
        c?.resume(with: result)
    }

    func cancel() {
        let tasks = state.withLock { s -> [Task<Void, Never>] in
            s.cancelled = true
            return [s.work, s.timer].compactMap { $0 }
        }
        for t in tasks { t.cancel() }
    }
}

private func outcome<T>(of body: () async throws -> T) async -> Result<T, Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
