/// `HOST:PORT` for `cccd serve --listen` (`[::1]:PORT` for IPv6). Plain HTTP is allowed only on
/// a loopback address: device tokens and citizens' events must not cross a network in clear.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(_ text: String) throws(SyncServerError) {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw .badListenAddress("expected [IPv6]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .badListenAddress("expected HOST:PORT") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { throw .badListenAddress("expected HOST:PORT with a port 0…65535") }
        self.host = String(host)
        self.port = port
    }

    /// 127.0.0.0/8, ::1 or localhost.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { p in UInt8(p) != nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why the service cannot start: a usage error of `cccd serve` (exit 2).
public enum SyncServerError: Error, Sendable, Hashable, CustomStringConvertible {
    case badListenAddress(String)
    case plainHTTPNotLoopback(String)
    case tls(String)

    public var description: String {
        switch self {
        case .badListenAddress(let s): return "bad --listen address: \(s)"
        case .plainHTTPNotLoopback(let a):
            return "refusing plain HTTP on \(a): without --tls-cert and --tls-key the service listens on a loopback address only (127.0.0.1, ::1)"
        case .tls(let s): return "TLS: \(s)"
        }
    }
}
