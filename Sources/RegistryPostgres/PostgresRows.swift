import Foundation
import PostgresNIO
import Registry

/// Row ↔ value mapping; times as Unix milliseconds.
enum PostgresRows {
    static func ms(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
    static func source(_ s: String) -> RecordSource { RecordSource(rawValue: s) ?? .registry }

    static let citizenColumns = """
        id_number, full_name, date_of_birth, sex, nationality, ethnicity, religion, place_of_origin, place_of_residence,
        identifying_marks, father_name, mother_name, spouse_name, old_id_number, version, updated_at_ms, source
        """
    static let cardColumns = """
        id_number, date_of_issue, date_of_expiry, status, can, sod_sha256, signer_issuer, signer_serial, ca_key_sha256, aa_key_sha256,
        updated_at_ms, source, status_reasons
        """
    static let accountColumns = "id_number, status, level, reason, source, observed_at_ms"
    static let eventColumns = "id, device, seq, at, kind, id_number, station, team, payload, previous_hash, hash"

    static func citizen(_ row: PostgresRow) throws -> Citizen {
        let r = row.makeRandomAccess()
        func s(_ i: Int) throws -> String { try r[i].decode(String.self) }
        func o(_ i: Int) throws -> String? { try r[i].decode(String?.self) }
        return Citizen(idNumber: try s(0), fullName: try s(1), dateOfBirth: try s(2), sex: try s(3), nationality: try o(4), ethnicity: try o(5),
                       religion: try o(6), placeOfOrigin: try o(7), placeOfResidence: try o(8), identifyingMarks: try o(9), fatherName: try o(10),
                       motherName: try o(11), spouseName: try o(12), oldIdNumber: try o(13), version: try r[14].decode(Int.self),
                       updatedAt: date(try r[15].decode(Int64.self)), source: source(try s(16)))
    }

    static func card(_ row: PostgresRow) throws -> Card {
        let r = row.makeRandomAccess()
        func s(_ i: Int) throws -> String { try r[i].decode(String.self) }
        func o(_ i: Int) throws -> String? { try r[i].decode(String?.self) }
        guard let status = CardStatus(rawValue: try s(3)) else { throw RegistryError.store("unknown card status in database") }
        let sod = try o(5)
        let chip = try sod.map { ChipEvidence(sodSHA256: $0, signerIssuer: try o(6), signerSerial: try o(7), caKeySHA256: try o(8), aaKeySHA256: try o(9)) }
        return Card(idNumber: try s(0), dateOfIssue: try s(1), dateOfExpiry: try o(2), status: status, can: try o(4), chip: chip,
                    updatedAt: date(try r[10].decode(Int64.self)), source: source(try s(11)), statusReasons: CardReasons.list(try o(12)))
    }

    static func account(_ row: PostgresRow) throws -> VNeIDAccount {
        let r = row.makeRandomAccess()
        guard let status = VNeIDStatus(rawValue: try r[1].decode(String.self)) else { throw RegistryError.store("unknown VNeID status in database") }
        return VNeIDAccount(idNumber: try r[0].decode(String.self), status: status, level: try r[2].decode(Int?.self),
                            reason: try r[3].decode(String?.self).flatMap(LockReason.init(rawValue:)), source: source(try r[4].decode(String.self)),
                            observedAt: date(try r[5].decode(Int64.self)))
    }

    static func event(_ row: PostgresRow) throws -> ReadEvent {
        let r = row.makeRandomAccess()
        guard let kind = EventDraft.Kind(rawValue: try r[4].decode(String.self)) else { throw RegistryError.store("unknown event kind in database") }
        return ReadEvent(id: try r[0].decode(String.self), device: try r[1].decode(String.self), seq: try r[2].decode(Int.self),
                         at: try r[3].decode(String.self), kind: kind, idNumber: try r[5].decode(String?.self), station: try r[6].decode(String?.self),
                         team: try r[7].decode(String?.self), payload: try r[8].decode(String.self), previousHash: try r[9].decode(String.self),
                         hash: try r[10].decode(String.self))
    }
}
