/// A failure inside the crypto facade. OpenSSL's own error queue is drained into `detail` so the
/// message says what OpenSSL objected to, without exposing keys.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case invalidKey, invalidInput, invalidPoint, invalidParameters, unsupportedAlgorithm,
             operationFailed, verificationFailed, invalidSignature, invalidCertificate
        /// Domain parameters that are malformed or too weak to use (see `DomainParameterPolicy`).
        case weakParameters
    }
    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue): \(detail)" }
}
