import Foundation

/// CSCA certificates (and link certificates) and CRLs a verifier trusts.
///
/// Loaded from files or directories (PEM or DER certificates, `.ml` master lists, `.crl` CRLs),
/// and persisted as a directory of DER files so a station imports once. Master lists are verified
/// before their certificates are added.
public struct TrustStore: Sendable {
    public private(set) var anchors: [Certificate] = []
    public private(set) var crls: [CRL] = []
    /// What happened to each input, for `cccd trust import`.
    public private(set) var log: [String] = []

    public init() {}

    public init(anchors: [Certificate], crls: [CRL] = []) {
        self.anchors = anchors
        self.crls = crls
    }

    public var isEmpty: Bool { anchors.isEmpty }

    /// Adds a trust anchor (ignoring exact duplicates).
    public mutating func add(_ c: Certificate) {
        guard !anchors.contains(where: { $0.der == c.der }) else { return }
        anchors.append(c)
    }

    /// Adds or replaces (by issuer, newer thisUpdate wins) a CRL.
    public mutating func add(_ crl: CRL) {
        if let i = crls.firstIndex(where: { $0.issuerDER == crl.issuerDER }) {
            if crl.thisUpdate >= crls[i].thisUpdate { crls[i] = crl }
        } else {
            crls.append(crl)
        }
    }

    /// Imports one file or every file in a directory. Throws on the first unusable file with its name.
    public mutating func importPath(_ path: String, at date: Date = Date()) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw TrustStoreError.notFound(path)
        }
        if isDir.boolValue {
            let entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            for e in entries where !e.hasPrefix(".") {
                try importPath((path as NSString).appendingPathComponent(e), at: date)
            }
            return
        }
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        try importBytes(data, name: (path as NSString).lastPathComponent, at: date)
    }

    public mutating func importBytes(_ data: [UInt8], name: String, at date: Date = Date()) throws {
        for der in TrustStore.derDocuments(data) {
            if let c = try? Certificate(der: der) {
                add(c)
                log.append("\(name): certificate \(c.subject)")
            } else if let crl = try? CRL(der: der) {
                add(crl)
                log.append("\(name): CRL from \(crl.issuer), \(crl.revokedSerials.count) revoked")
            } else if let ml = try? MasterList(der: der) {
                let how: MasterList.Trust
                do { how = try ml.verify(anchors: anchors, at: date) } catch {
                    throw TrustStoreError.untrustedMasterList(name, "\(error)")
                }
                for c in ml.certificates { add(c) }
                log.append("\(name): master list signed by \(ml.signer.subject) (\(how == .signerChainsToTrustedAnchor ? "chains to a trusted CSCA" : "chains to a CSCA in the list")), \(ml.certificates.count) CSCA certificates")
            } else {
                throw TrustStoreError.unreadable(name)
            }
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
            if current != nil { current! += line.trimmingCharacters(in: .whitespaces) }
        }
        return out
    }

    // MARK: - Persistence

    /// The default location: `$CCCD_TRUST_STORE`, else `~/.local/share/cccd/trust`.
    public static var defaultDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["CCCD_TRUST_STORE"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/cccd/trust")
    }

    /// Writes every anchor and CRL as DER files (named by fingerprint), replacing the directory's
    /// previous content atomically enough for a single station (write new, then remove stale).
    public func save(to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var keep = Set<String>()
        for c in anchors {
            let name = "csca-\(c.fingerprint.prefix(16)).der"
            keep.insert(name)
            try Data(c.der).write(to: dir.appendingPathComponent(name), options: .atomic)
        }
        for crl in crls {
            let name = "crl-\(HashAlgorithmHex.sha256(crl.issuerDER).prefix(16)).crl"
            keep.insert(name)
            try Data(crl.der).write(to: dir.appendingPathComponent(name), options: .atomic)
        }
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where !keep.contains(f) && (f.hasSuffix(".der") || f.hasSuffix(".crl")) {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(f))
        }
    }

    /// Loads a saved store; an absent directory is an empty store.
    public static func load(from dir: URL) throws -> TrustStore {
        var s = TrustStore()
        guard FileManager.default.fileExists(atPath: dir.path) else { return s }
        try s.importPath(dir.path)
        s.log = []
        return s
    }
}

public enum TrustStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(String)
    case unreadable(String)
    case untrustedMasterList(String, String)

    public var description: String {
        switch self {
        case .notFound(let p): return "\(p): no such file or directory"
        case .unreadable(let n): return "\(n): not a certificate, CRL or CSCA master list"
        case .untrustedMasterList(let n, let why): return "\(n): master list rejected: \(why)"
        }
    }
}
