import Foundation
import GRDB
import Registry

/// Row ↔ value mapping. Times are stored as Unix milliseconds.
enum SQLiteRows {
    static func ms(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    static func arguments(_ c: Citizen) -> StatementArguments {
        [c.idNumber, c.fullName, c.dateOfBirth, c.sex, c.nationality, c.ethnicity, c.religion, c.placeOfOrigin, c.placeOfResidence,
         c.identifyingMarks, c.fatherName, c.motherName, c.spouseName, c.oldIdNumber, c.version, ms(c.updatedAt), c.source.rawValue]
    }

    static func arguments(_ c: Card) -> StatementArguments {
        [c.idNumber, c.dateOfIssue, c.dateOfExpiry, c.storedStatus.rawValue, c.can, c.chip?.sodSHA256, c.chip?.signerIssuer,
         c.chip?.signerSerial, c.chip?.caKeySHA256, c.chip?.aaKeySHA256, ms(c.updatedAt), c.source.rawValue,
         CardReasons.text(c.statusReasons)]
    }

    static func arguments(_ a: VNeIDAccount) -> StatementArguments {
        [a.idNumber, a.status.rawValue, a.level, a.reason?.rawValue, a.source.rawValue, ms(a.observedAt)]
    }

    static func source(_ s: String) -> RecordSource { RecordSource(rawValue: s) ?? .registry }

    static func citizen(_ r: Row) -> Citizen {
        Citizen(idNumber: r["id_number"], fullName: r["full_name"], dateOfBirth: r["date_of_birth"], sex: r["sex"],
                nationality: r["nationality"], ethnicity: r["ethnicity"], religion: r["religion"], placeOfOrigin: r["place_of_origin"],
                placeOfResidence: r["place_of_residence"], identifyingMarks: r["identifying_marks"], fatherName: r["father_name"],
                motherName: r["mother_name"], spouseName: r["spouse_name"], oldIdNumber: r["old_id_number"], version: r["version"],
                updatedAt: date(r["updated_at_ms"]), source: source(r["source"]))
    }

    static func card(_ r: Row) throws -> Card {
        guard let status = CardStatus(rawValue: r["status"]) else { throw RegistryError.store("unknown card status in database") }
        let sod: String? = r["sod_sha256"]
        return Card(idNumber: r["id_number"], dateOfIssue: r["date_of_issue"], dateOfExpiry: r["date_of_expiry"], status: status, can: r["can"],
                    chip: sod.map { ChipEvidence(sodSHA256: $0, signerIssuer: r["signer_issuer"], signerSerial: r["signer_serial"],
                                                 caKeySHA256: r["ca_key_sha256"], aaKeySHA256: r["aa_key_sha256"]) },
                    updatedAt: date(r["updated_at_ms"]), source: source(r["source"]),
                    statusReasons: CardReasons.list(r["status_reasons"]))
    }

    static func account(_ r: Row) throws -> VNeIDAccount {
        guard let status = VNeIDStatus(rawValue: r["status"]) else { throw RegistryError.store("unknown VNeID status in database") }
        let reason: String? = r["reason"]
        return VNeIDAccount(idNumber: r["id_number"], status: status, level: r["level"], reason: reason.flatMap(LockReason.init(rawValue:)),
                            source: source(r["source"]), observedAt: date(r["observed_at_ms"]))
    }

    static func event(_ r: Row) throws -> ReadEvent {
        guard let kind = EventDraft.Kind(rawValue: r["kind"]) else { throw RegistryError.store("unknown event kind in database") }
        return ReadEvent(id: r["id"], device: r["device"], seq: r["seq"], at: r["at"], kind: kind, idNumber: r["id_number"],
                         station: r["station"], team: r["team"], payload: r["payload"], previousHash: r["previous_hash"], hash: r["hash"])
    }
}
