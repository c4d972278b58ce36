import ArgumentParser
import Foundation
import MRTD

extension CCCD {
    struct Trust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the persistent trust store (CSCA certificates, master lists, CRLs).",
            subcommands: [Import.self, List.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import CSCA certificates, master lists (verified first) and CRLs (newer ones replace older).")

            @Argument(help: "Files or directories.")
            var paths: [String]

            func run() async throws {
                let output = Output(json: false)
                do {
                    let dir = TrustStore.defaultDirectory
                    var store = try TrustStore.load(from: dir)
                    for p in paths { try store.importPath(p) }
                    try store.save(to: dir)
                    for line in store.log { print(line) }
                    print("trust store \(dir.path): \(store.anchors.count) certificates, \(store.crls.count) CRLs")
                } catch let e as TrustStoreError {
                    throw output.fail(.failed(code: "trustStore", message: e.description, exit: .usage))
                } catch {
                    throw output.fail(.failed(code: "trustStore", message: "\(error)", exit: .usage))
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the trusted certificates and CRLs.")

            @Flag(help: "Print JSON.")
            var json = false

            func run() async throws {
                let output = Output(json: json)
                let store: TrustStore
                do { store = try TrustStore.load(from: TrustStore.defaultDirectory) } catch {
                    throw output.fail(.failed(code: "trustStore", message: "\(error)", exit: .usage))
                }
                let f = ISO8601DateFormatter()
                f.formatOptions = [.withFullDate]
                if json {
                    struct Entry: Encodable { var subject, issuer, notBefore, notAfter, sha256: String; var selfSigned: Bool }
                    struct CRLEntry: Encodable { var issuer, thisUpdate: String; var nextUpdate: String?; var revoked: Int }
                    struct Report: Encodable { var certificates: [Entry]; var crls: [CRLEntry] }
                    output.printJSON(Report(
                        certificates: store.anchors.map { Entry(subject: $0.subject, issuer: $0.issuer, notBefore: f.string(from: $0.notBefore),
                                                                notAfter: f.string(from: $0.notAfter), sha256: $0.fingerprint, selfSigned: $0.isSelfSigned) },
                        crls: store.crls.map { CRLEntry(issuer: $0.issuer, thisUpdate: f.string(from: $0.thisUpdate), nextUpdate: $0.nextUpdate.map { f.string(from: $0) }, revoked: $0.revokedSerials.count) }))
                    return
                }
                if store.anchors.isEmpty { print("The trust store is empty. Import CSCA certificates or master lists with `cccd trust import`.") }
                for c in store.anchors {
                    print("\(c.subject)  [\(f.string(from: c.notBefore)) – \(f.string(from: c.notAfter))]\(c.isSelfSigned ? "" : "  link certificate from \(c.issuer)")  \(c.fingerprint.prefix(16))")
                }
                for crl in store.crls { print("CRL \(crl.issuer)  \(f.string(from: crl.thisUpdate))  \(crl.revokedSerials.count) revoked") }
            }
        }
    }
}
