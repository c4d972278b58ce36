import HTTPTypes

/// The headers every console response carries. The page holds personal data from an ID card, so the
/// browser is told to run only the binary's own script and styles (no inline script, no CDN), never to
/// sniff types, never to send a referrer, never to frame the page, and never to keep a copy.
enum SecurityHeaders {
    /// `default-src 'self'` with nothing looser: the photo is served by the console itself under
    /// a per-card random URL, so `data:` is not needed either.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")
    static let frameOptions = HTTPField.Name("X-Frame-Options")

    static func apply(to fields: inout HTTPFields) {
        fields[.contentSecurityPolicy] = contentSecurityPolicy
        fields[.xContentTypeOptions] = "nosniff"
        if let referrerPolicy { fields[referrerPolicy] = "no-referrer" }
        if let frameOptions { fields[frameOptions] = "DENY" }
        fields[.cacheControl] = "no-store"
    }
}
