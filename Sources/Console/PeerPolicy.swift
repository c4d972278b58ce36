import Foundation
import MRTDCrypto

/// Who may talk to the console. A loopback peer (the station's own browser) may watch the page
/// without a token; any other peer must present the operator token for everything but the page's
/// shell (which holds nothing personal, so the page can ask for the token). Actions that change
/// records (hand over) need the token from everyone, and every POST must carry the token or the
/// console's own header — a header, not a cookie, so another site cannot forge the request (a
/// cross-origin custom header needs a CORS preflight the console never grants). The Host header
/// must name the console itself, so a hostile page that rebinds its DNS name to 127.0.0.1 cannot
/// read the page either.
struct PeerPolicy: Sendable {
    /// The header the page sends with every API request.
    static let pageHeader = "X-CCCD-Console"
    static let tokenHeader = "Authorization"

    let tokenHash: [UInt8]?
    /// Host names the Host header may carry (lower case; IPv6 in brackets).
    let allowedNames: Set<String>
    /// The port the console listens on (known once it is bound when port 0 was asked for).
    let port: @Sendable () -> Int

    init(tokenHash: [UInt8]?, host: String, port: @escaping @Sendable () -> Int) {
        self.tokenHash = tokenHash
        var names: Set<String> = ["127.0.0.1", "localhost", "[::1]"]
        names.insert((host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host).lowercased())
        allowedNames = names
        self.port = port
    }

    init(tokenHash: [UInt8]?, host: String, port: Int) {
        self.init(tokenHash: tokenHash, host: host, port: { port })
    }

    /// `name:port` with a name the console answers to and its own port.
    func hostAllowed(_ header: String) -> Bool {
        let h = header.lowercased()
        guard let colon = h.lastIndex(of: ":"), let p = Int(h[h.index(after: colon)...]) else { return false }
        return p == port() && allowedNames.contains(String(h[..<colon]))
    }

    enum Decision: Equatable {
        case allow
        /// 401: no or wrong token.
        case unauthorized
        /// 403: refused whatever the token (wrong Host, cross-site POST).
        case forbidden(String)
    }

    /// What a path exposes.
    enum Access: Equatable {
        /// The page's shell (HTML, script, style, icon) — nothing personal — and the photo, whose
        /// 128-bit random path is itself the capability (only the authorised state stream names it,
        /// and it dies with the card).
        case shell
        /// The state, the event stream, keys for cards, the campaign figures: loopback, or the token.
        case data
        /// Changes records (hand over): the token, from every peer.
        case action

        static func of(path: String) -> Access {
            // The router ignores empty path parts (`/hand-over/`, `//hand-over`): classify by the
            // last non-empty part, never by the raw suffix.
            if path.split(separator: "/").last == "hand-over" { return .action }
            if ["/", "/app.js", "/app.css", "/icon.svg"].contains(path) || path.hasPrefix("/photo/") { return .shell }
            return .data
        }
    }

    /// - Parameters:
    ///   - peer: the remote IP address (nil: unknown, treated as remote).
    func decide(peer: String?, hostHeader: String?, authorization: String?, pageHeader: String?, isPost: Bool, access: Access) -> Decision {
        guard let hostHeader, hostAllowed(hostHeader) else { return .forbidden("unexpected Host header") }
        let local = peer.map(Self.isLoopback(host:)) ?? false
        let tokenOK = authorization.map(tokenMatches) ?? false
        switch access {
        case .shell: if isPost { return .forbidden("not an action") }
        case .data: if !local && !tokenOK { return .unauthorized }
        case .action: if !tokenOK { return .unauthorized }
        }
        if isPost && !tokenOK && pageHeader != "1" { return .forbidden("POST without the console's header") }
        return .allow
    }

    /// `Bearer TOKEN` whose SHA-256 is the stored hash (compared in constant time).
    func tokenMatches(_ authorization: String) -> Bool {
        guard let tokenHash, authorization.hasPrefix("Bearer ") else { return false }
        let token = authorization.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { return false }
        return OperatorToken.constantTimeEqual(OperatorToken.hash(token), tokenHash)
    }

    /// 127.0.0.0/8, ::1 and `localhost`.
    static func isLoopback(host: String) -> Bool {
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        if h.hasPrefix("::ffff:") { return isLoopback(host: String(h.dropFirst("::ffff:".count))) }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
