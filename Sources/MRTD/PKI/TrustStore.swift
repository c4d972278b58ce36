import Foundation

/// CSCA certificates (and link certificates) and CRLs a verifier trusts.
///
/// Loaded from files or directories (PEM or DER certificates, `.ml` master lists, `.crl` CRLs),
/// and persisted as a directory of DER files so a station imports once. Nothing enters unchecked:
/// - a bare certificate becomes an anchor only if it is a CA certificate (basicConstraints cA and
///   keyUsage keyCertSign);
/// - a master list counts only if its CMS signature verifies and its signer was issued by a CSCA
///   already trusted, or — self-certified — by a CSCA inside the list, which is accepted only when
///   `acceptSelfCertifiedLists` is set or that CSCA's SHA-256 fingerprint is in `acceptedListCSCAs`;
/// - a CRL is kept only if a trusted key of its issuing CSCA signed it, and replaces an older CRL of
///   the same issuer only then.
/// Within one import, certificates and master lists are taken before CRLs, so a CSCA and its CRL can
/// arrive together in any order.
public struct TrustStore: Sendable {
    public private(set) var anchors: [Certificate] = []
    public private(set) var crls: [CRL] = []
    /// What happened to each input, for `cccd trust import`: every new anchor with its subject and
    /// SHA-256 fingerprint, every master list and CRL taken.
    public private(set) var log: [String] = []
    /// Inputs skipped while loading leniently (`load(from:)`): one line each, never fatal.
    public private(set) var warnings: [String] = []
    /// Take self-certified master lists as given (the operator chose the file for this read).
    public var acceptSelfCertifiedLists: Bool
    /// SHA-256 fingerprints (lowercase hex) of CSCAs the operator confirmed as roots of
    /// self-certified master lists.
    public var acceptedListCSCAs: Set<String> = []

    public init(acceptSelfCertifiedLists: Bool = false) {
        self.acceptSelfCertifiedLists = acceptSelfCertifiedLists
    }

    /// A store of the given anchors, taken as they are (the caller's explicit choice). CRLs are kept
    /// only if a trusted CSCA signed them.
    public init(anchors: [Certificate], crls: [CRL] = []) {
        self.acceptSelfCertifiedLists = false
        self.anchors = anchors
        for crl in crls { _ = add(crl) }
    }

    public var isEmpty: Bool { anchors.isEmpty }

    /// Whether a certificate may be a trust anchor: a CA certificate allowed to sign certificates.
    public static func isCACertificate(_ c: Certificate) -> Bool {
        c.isCA == true && c.keyUsage?.contains(5) == true
    }

    /// Adds a CA certificate as a trust anchor (ignoring exact duplicates). Returns false, adding
    /// nothing, for a certificate that is not a CA certificate or is already trusted.
    @discardableResult
    public mutating func add(_ c: Certificate) -> Bool {
        guard Self.isCACertificate(c), !anchors.contains(where: { $0.der == c.der }) else { return false }
        anchors.append(c)
        return true
    }

    /// Adds a CRL signed by a trusted key of its issuing CSCA, replacing an older one of the same
    /// issuer. Returns false, changing nothing, when no trusted CSCA key verifies it.
    @discardableResult
    public mutating func add(_ crl: CRL) -> Bool {
        guard trustedCSCAs(named: crl.issuerDER).contains(where: { crl.isSigned(by: $0) }) else { return false }
        if let i = crls.firstIndex(where: { $0.issuerDER == crl.issuerDER }) {
            if crl.thisUpdate >= crls[i].thisUpdate { crls[i] = crl }
        } else {
            crls.append(crl)
        }
        return true
    }

    /// The anchors named `subject` whose key is trusted: self-signed ones, and link certificates
    /// (a CSCA's renewed key) that verify under a self-signed anchor of the same store.
    public func trustedCSCAs(named subject: [UInt8]) -> [Certificate] {
        anchors.filter { c in
            guard c.subjectDER == subject else { return false }
            if c.isSelfSigned { return true }
            return anchors.contains { root in
                root.subjectDER == c.issuerDER && root.der != c.der && root.isSelfSigned && PassiveAuthentication.verifies(c, under: root)
            }
        }
    }

    // MARK: - Import

    /// Imports one file or every file in a directory. Throws on the first unusable input, naming it.
    public mutating func importPath(_ path: String, at date: Date = Date()) throws {
        try importPaths([path], at: date)
    }

    /// Imports files and directories together: certificates and master lists first, then CRLs.
    /// Throws on the first unusable input; the store is then unchanged.
    public mutating func importPaths(_ paths: [String], at date: Date = Date()) throws {
        var inputs = [(String, [UInt8])]()
        var skipped = [String]()
        for p in paths { try Self.collect(p, into: &inputs, skipped: &skipped, lenient: false) }
        var copy = self
        try copy.ingest(inputs, at: date, lenient: false)
        self = copy
    }

    /// Imports the documents in one file's bytes. Throws on the first unusable document; the store
    /// is then unchanged.
    public mutating func importBytes(_ data: [UInt8], name: String, at date: Date = Date()) throws {
        var copy = self
        try copy.ingest([(name, data)], at: date, lenient: false)
        self = copy
    }

    /// Reads a file, or each visible file of a directory (sorted by name). A lenient caller gets
    /// unreadable files in `skipped` instead of an error.
    static func collect(_ path: String, into inputs: inout [(String, [UInt8])], skipped: inout [String], lenient: Bool) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw TrustStoreError.notFound(path) }
        if isDir.boolValue {
            let entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            for e in entries where !e.hasPrefix(".") {
                try collect((path as NSString).appendingPathComponent(e), into: &inputs, skipped: &skipped, lenient: lenient)
            }
            return
        }
        let name = (path as NSString).lastPathComponent
        do {
            inputs.append((name, Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
        } catch {
            guard lenient else { throw TrustStoreError.unreadable(name) }
            skipped.append("\(name): cannot be read, skipped")
        }
    }

    private enum Item {
        case certificate(Certificate)
        case crl(CRL)
        case masterList(MasterList)
    }

    /// Takes inputs in trust order. Strict: throws on the first problem. Lenient: records it in
    /// `warnings` and goes on.
    private mutating func ingest(_ inputs: [(String, [UInt8])], at date: Date, lenient: Bool) throws {
        func problem(_ e: TrustStoreError) throws {
            guard lenient else { throw e }
            warnings.append("\(e.description), skipped")
        }
        var items = [(String, Item)]()
        for (name, data) in inputs {
            let documents = Self.derDocuments(data)
            if documents.isEmpty { try problem(.unreadable(name)) }
            for der in documents {
                if let c = try? Certificate(der: der) {
                    items.append((name, .certificate(c)))
                } else if let crl = try? CRL(der: der) {
                    items.append((name, .crl(crl)))
                } else if let ml = try? MasterList(der: der) {
                    items.append((name, .masterList(ml)))
                } else {
                    try problem(.unreadable(name))
                }
            }
        }
        for case let (name, .certificate(c)) in items {
            guard Self.isCACertificate(c) else { try problem(.notACACertificate(name, c.subject)); continue }
            if add(c) { log.append("\(name): new anchor \(c.subject), SHA-256 \(c.fingerprint)") }
        }
        var lists = items.compactMap { name, item -> (String, MasterList)? in
            if case .masterList(let ml) = item { return (name, ml) } else { return nil }
        }
        // Lists signed under a trusted CSCA first (one may trust the CSCA of another), then the
        // self-certified ones the operator accepted.
        while !lists.isEmpty {
            var progress = false
            var unconfirmed: (String, Certificate)?
            var failed: (String, String)?
            for (index, (name, ml)) in lists.enumerated().reversed() {
                let how: MasterList.Trust
                do { how = try ml.verify(anchors: trustedCSCAs(named: ml.signer.issuerDER), at: date) } catch {
                    failed = (name, "\(error)")
                    continue
                }
                if case .selfCertified(let csca) = how, !acceptSelfCertifiedLists, !acceptedListCSCAs.contains(csca.fingerprint) {
                    unconfirmed = (name, csca)
                    continue
                }
                lists.remove(at: index)
                progress = true
                take(ml, name: name, how: how)
            }
            if progress { continue }
            // Ask about a self-certified list before failing one that may chain to its CSCAs.
            if case let (name, csca)? = unconfirmed {
                try problem(.unconfirmedMasterList(name, subject: csca.subject, fingerprint: csca.fingerprint))
                lists.removeAll { $0.0 == name }
            } else if case let (name, why)? = failed {
                try problem(.untrustedMasterList(name, why))
                lists.removeAll { $0.0 == name }
            } else {
                break
            }
        }
        for case let (name, .crl(crl)) in items {
            guard add(crl) else { try problem(.unverifiedCRL(name, crl.issuer)); continue }
            log.append("\(name): CRL from \(crl.issuer) of \(PassiveAuthentication.day(crl.thisUpdate)), \(crl.revokedSerials.count) revoked")
        }
    }

    private mutating func take(_ ml: MasterList, name: String, how: MasterList.Trust) {
        let origin: String
        switch how {
        case .signerChainsToTrustedAnchor(let c): origin = "chains to trusted CSCA \(c.subject)"
        case .selfCertified(let c): origin = "self-certified by CSCA \(c.subject), SHA-256 \(c.fingerprint)"
        }
        log.append("\(name): master list signed by \(ml.signer.subject) (\(origin)), \(ml.certificates.count) certificates")
        for c in ml.certificates {
            guard Self.isCACertificate(c) else {
                log.append("\(name): \(c.subject) is not a CA certificate, not trusted")
                continue
            }
            if add(c) { log.append("\(name): new anchor \(c.subject), SHA-256 \(c.fingerprint)") }
        }
    }

    /// DER documents in a file: PEM blocks if it is PEM, otherwise the file itself.
    static func derDocuments(_ data: [UInt8]) -> [[UInt8]] {
        guard let text = String(validating: data, as: UTF8.self), text.contains("-----BEGIN") else { return [data] }
        var out = [[UInt8]]()
        var current: String?
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("-----BEGIN") { current = ""; continue }
            if line.hasPrefix("-----END") {
                if let c = current, let d = Data(base64Encoded: c) { out.append(Array(d)) }
                current = nil
                continue
            }
            if let c = current { current = c + line.trimmingCharacters(in: .whitespaces) }
        }
        return out
    }

    // MARK: - Persistence

    /// The default location: `$CCCD_TRUST_STORE`, else `~/.local/share/cccd/trust`.
    public static var defaultDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["CCCD_TRUST_STORE"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/cccd/trust")
    }

    /// The file listing what `save` wrote (hidden, so loading skips it).
    static let manifestName = ".cccd-trust-manifest"

    static func isOwnFileName(_ f: String) -> Bool {
        (f.hasPrefix("csca-") && f.hasSuffix(".der")) || (f.hasPrefix("crl-") && f.hasSuffix(".crl"))
    }

    /// Writes every anchor and CRL as DER files (named by fingerprint) and a manifest of them.
    /// A file is removed only if an earlier `save` wrote it (listed in the manifest, named by its
    /// scheme) and the store no longer holds it; anything else in the directory is left alone.
    public func save(to dir: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let manifest = dir.appendingPathComponent(Self.manifestName)
        let previous = (try? String(contentsOf: manifest, encoding: .utf8))
            .map { Set($0.split(whereSeparator: \.isNewline).map(String.init)) } ?? []
        var written = [String]()
        for c in anchors {
            let name = "csca-\(c.fingerprint.prefix(16)).der"
            written.append(name)
            try Data(c.der).write(to: dir.appendingPathComponent(name), options: .atomic)
        }
        for crl in crls {
            let name = "crl-\(HashAlgorithmHex.sha256(crl.issuerDER).prefix(16)).crl"
            written.append(name)
            try Data(crl.der).write(to: dir.appendingPathComponent(name), options: .atomic)
        }
        try Data((written.joined(separator: "\n") + "\n").utf8).write(to: manifest, options: .atomic)
        for f in previous.subtracting(written) where Self.isOwnFileName(f) && !f.contains("/") {
            try? fm.removeItem(at: dir.appendingPathComponent(f))
        }
    }

    /// Loads a saved store; an absent directory is an empty store. A file that cannot be read or
    /// used is skipped and reported in `warnings`, never fatal. Self-certified master lists placed
    /// in the directory by hand are not taken (import them with `cccd trust import`).
    public static func load(from dir: URL, at date: Date = Date()) throws -> TrustStore {
        var s = TrustStore()
        guard FileManager.default.fileExists(atPath: dir.path) else { return s }
        var inputs = [(String, [UInt8])]()
        var skipped = [String]()
        try collect(dir.path, into: &inputs, skipped: &skipped, lenient: true)
        try s.ingest(inputs, at: date, lenient: true)
        s.warnings = skipped + s.warnings
        s.log = []
        return s
    }
}

public enum TrustStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(String)
    case unreadable(String)
    case untrustedMasterList(String, String)
    /// A self-certified master list whose CSCA the operator has not confirmed.
    case unconfirmedMasterList(String, subject: String, fingerprint: String)
    case notACACertificate(String, String)
    /// No trusted CSCA key verifies the CRL's signature.
    case unverifiedCRL(String, String)

    public var description: String {
        switch self {
        case .notFound(let p): return "\(p): no such file or directory"
        case .unreadable(let n): return "\(n): not a certificate, CRL or CSCA master list"
        case .untrustedMasterList(let n, let why): return "\(n): master list rejected: \(why)"
        case let .unconfirmedMasterList(n, subject, fp):
            return "\(n): self-certified master list from CSCA \(subject), SHA-256 \(fp), not confirmed"
        case let .notACACertificate(n, subject): return "\(n): \(subject) is not a CA certificate (basicConstraints cA and keyCertSign), not trusted"
        case let .unverifiedCRL(n, issuer): return "\(n): CRL from \(issuer) is not signed by a trusted CSCA"
        }
    }
}
