import Foundation

/// The reader profiles known to this installation, loaded from JSON files.
///
/// Search order: `$CCCD_READER_PROFILES`, `share/cccd/readers` next to the executable's prefix,
/// `/usr/local/share/cccd/readers`, `/usr/share/cccd/readers`, and `Hardware/readers` of the source
/// checkout this library was built from. Files found earlier win (by profile id). A file that does
/// not parse is reported in `problems` and skipped; it never stops a read.
public struct ReaderProfileCatalog: Sendable {
    public private(set) var profiles: [ReaderProfile]
    public private(set) var problems: [String]

    public init(profiles: [ReaderProfile], problems: [String] = []) {
        self.profiles = profiles
        self.problems = problems
    }

    /// The first profile whose patterns match the name; longest pattern first, so
    /// "OMNIKEY 5422" wins over a generic "OMNIKEY".
    public func profile(forReader name: String) -> ReaderProfile? {
        var best: (ReaderProfile, Int)?
        for p in profiles {
            for m in p.match where name.lowercased().contains(m.lowercased()) {
                if best == nil || m.count > best!.1 { best = (p, m.count) }
            }
        }
        return best?.0
    }

    /// Loads every `*.json` in the given directories.
    public static func load(from directories: [URL]) -> ReaderProfileCatalog {
        var byID: [String: ReaderProfile] = [:]
        var order: [String] = []
        var problems: [String] = []
        let decoder = JSONDecoder()
        for dir in directories {
            guard let files = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) else { continue }
            for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) where file.pathExtension == "json" {
                do {
                    let p = try decoder.decode(ReaderProfile.self, from: Data(contentsOf: file))
                    if byID[p.id] == nil {
                        byID[p.id] = p
                        order.append(p.id)
                    }
                } catch {
                    problems.append("\(file.lastPathComponent): \(error)")
                }
            }
        }
        return ReaderProfileCatalog(profiles: order.compactMap { byID[$0] }, problems: problems)
    }

    /// The directories searched by `standard`.
    public static var searchDirectories: [URL] {
        var dirs = [URL]()
        if let env = ProcessInfo.processInfo.environment["CCCD_READER_PROFILES"], !env.isEmpty {
            dirs.append(URL(fileURLWithPath: env))
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        dirs.append(exe.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/cccd/readers"))
        dirs.append(URL(fileURLWithPath: "/usr/local/share/cccd/readers"))
        dirs.append(URL(fileURLWithPath: "/usr/share/cccd/readers"))
        // Sources/PCSC/ReaderProfileCatalog.swift -> <checkout>/Hardware/readers
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        dirs.append(checkout.appendingPathComponent("Hardware/readers"))
        return dirs
    }

    /// The catalog from the standard locations, loaded once per process.
    public static let standard: ReaderProfileCatalog = load(from: searchDirectories)
}
