import ArgumentParser
import Foundation
import MRTD

extension CCCD {
    struct Trust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trust",
            abstract: "Manage the persistent trust store (CSCA certificates, master lists, CRLs).",
            subcommands: [Import.self, List.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "import",
                abstract: "Import CSCA certificates, master lists and CRLs, each verified first (newer CRLs replace older).",
                discussion: """
                    A bare certificate is taken only if it is a CA certificate. A master list counts only if its signature \
                    verifies and its signer chains to a trusted CSCA or to a CSCA inside the list (self-certified); a \
                    self-certified list is stored only after you confirm its CSCA: --accept-csca SHA256, or y at the prompt \
                    on a terminal. A CRL is stored only if a trusted CSCA signed it.
                    """)

            @Argument(help: "Files or directories.")
            var paths: [String]

            @Option(name: .customLong("accept-csca"), help: ArgumentHelp(
                "Accept a self-certified master list whose signer chains to the CSCA with this SHA-256 fingerprint (hex).",
                valueName: "SHA256"))
            var acceptCSCA: [String] = []

            func run() async throws {
                let output = Output(json: false)
                do {
                    let dir = TrustStore.defaultDirectory
                    let base = try TrustStore.load(from: dir)
                    for w in base.warnings { FileHandle.standardError.write(Data("warning: trust store: \(w)\n".utf8)) }
                    var accepted = Set(acceptCSCA.map(Self.normalizedFingerprint))
                    var store: TrustStore
                    while true {
                        store = base
                        store.acceptedListCSCAs = accepted
                        do {
                            try store.importPaths(paths)
                            break
                        } catch let TrustStoreError.unconfirmedMasterList(name, subject, fingerprint) {
                            guard isatty(STDIN_FILENO) == 1, !accepted.contains(fingerprint) else {
                                throw CLIError.failed(code: "trustStore", message: "\(name): self-certified master list from CSCA \(subject), SHA-256 \(fingerprint): not stored; check the fingerprint with its publisher and pass --accept-csca \(fingerprint)", exit: .usage)
                            }
                            // The prompt goes to stderr (unbuffered), stdout stays the import's log.
                            FileHandle.standardError.write(Data("""
                                \(name): self-certified master list; its signer chains to the CSCA in the list
                                  CSCA    \(subject)
                                  SHA-256 \(fingerprint)
                                Trust this CSCA and the certificates of the list? Compare the fingerprint with its publisher. [y/N] 
                                """.utf8))
                            guard let answer = readLine(), ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()) else {
                                throw CLIError.failed(code: "trustStore", message: "\(name): self-certified master list not confirmed; nothing imported", exit: .usage)
                            }
                            accepted.insert(fingerprint)
                        }
                    }
                    try store.save(to: dir)
                    for line in store.log { print(line) }
                    print("trust store \(dir.path): \(store.anchors.count) certificates, \(store.crls.count) CRLs")
                } catch let e as CLIError {
                    throw output.fail(e)
                } catch let e as TrustStoreError {
                    throw output.fail(.failed(code: "trustStore", message: e.description, exit: .usage))
                } catch {
                    throw output.fail(.failed(code: "trustStore", message: "\(error)", exit: .usage))
                }
            }

            /// "AB:CD ..." → "abcd...".
            static func normalizedFingerprint(_ s: String) -> String {
                String(s.lowercased().filter { $0.isHexDigit && $0.isASCII })
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the trusted certificates and CRLs.")

            @Flag(help: "Print JSON.")
            var json = false

            func run() async throws {
                let output = Output(json: json)
                let store: TrustStore
                do { store = try TrustStore.load(from: TrustStore.defaultDirectory) } catch {
                    throw output.fail(.failed(code: "trustStore", message: "\(error)", exit: .usage))
                }
                for w in store.warnings { FileHandle.standardError.write(Data("warning: trust store: \(w)\n".utf8)) }
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
