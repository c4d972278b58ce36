/// Why the centre refused a request, as `{"error": {"code", "message", "eventId"?, "seq"?}}`
/// with an HTTP status. A refused batch stored nothing (one transaction).
public struct SyncError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable {
        /// 401: no token, an unknown one, or a revoked one.
        case unauthorized
        /// 403: the batch names a device other than the token's.
        case deviceMismatch
        /// 409: an event's previous hash is not the hash of the event before it.
        case chainBroken
        /// 409: the batch starts after a missing sequence number, or skips one.
        case sequenceGap
        /// 409: the centre holds another event (another hash) at this device and sequence.
        case sequenceConflict
        /// 409: the event id is already used by another event.
        case idConflict
        /// 422: the payload does not match its hash.
        case hashMismatch
        /// 422: the payload is not a well-formed canonical event.
        case badEvent
        /// 400: the request body is not what the endpoint takes.
        case badRequest
        /// 413: too many events or too many bytes.
        case tooLarge
        /// 404: no such endpoint.
        case notFound
        /// 503: the central store cannot be reached.
        case unavailable
    }

    public var code: Code
    public var message: String
    public var eventId: String?
    public var seq: Int?

    public init(_ code: Code, _ message: String, eventId: String? = nil, seq: Int? = nil) {
        self.code = code
        self.message = message
        self.eventId = eventId
        self.seq = seq
    }

    public var httpStatus: Int {
        switch code {
        case .unauthorized: return 401
        case .deviceMismatch: return 403
        case .chainBroken, .sequenceGap, .sequenceConflict, .idConflict: return 409
        case .hashMismatch, .badEvent: return 422
        case .badRequest: return 400
        case .tooLarge: return 413
        case .notFound: return 404
        case .unavailable: return 503
        }
    }

    public var description: String {
        var s = "\(code.rawValue): \(message)"
        if let seq { s += " (event \(seq))" }
        return s
    }
}

/// The error body.
public struct SyncErrorBody: Sendable, Hashable, Codable {
    public var error: SyncError
    public init(_ error: SyncError) { self.error = error }
}
