/// Runs `body`, throwing `StationError` code `timeout` when it takes longer than `limit` (then
/// `body` is cancelled and awaited: nothing of it keeps running afterwards).
func withDeadline<T: Sendable>(_ limit: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let limit else { return try await body() }
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw StationError.timeout(limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
