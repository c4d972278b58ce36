import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD

/// Real readouts from the in-process simulated chip (synthetic citizens), so linking is tested on
/// the values a read produces.
enum SimulatedReads {
    static func citizen(_ id: String = "035099012345", name: String = "Nguyễn Văn An", birth: String = "1999-02-01",
                        issue: String = "2021-05-10", expiry: String? = "2039-02-01",
                        residence: String = "Thôn 1, Xã Thanh Hà, Huyện Thanh Liêm, Hà Nam") -> CitizenRecord {
        CitizenRecord(idNumber: id, fullName: name, dateOfBirth: birth, sex: "M", placeOfOrigin: "Xã Kim Bình, Thành phố Phủ Lý, Hà Nam",
                      placeOfResidence: residence, identifyingMarks: "Nốt ruồi cách 2cm", dateOfIssue: issue, dateOfExpiry: expiry,
                      fatherName: "Nguyễn Văn Bình", motherName: "Trần Thị Cúc", oldIdNumber: "168012345")
    }

    /// Reads a card personalised for `record`; `seed` changes the chip's keys and PKI (another chip).
    static func read(_ record: CitizenRecord, seed: String = "swift-cccd test PKI") async throws -> CardReadout {
        var profile = CardProfile(citizen: record)
        profile.seed = seed
        let chip = try SimulatedChip(profile: profile)
        var trust = TrustStore()
        trust.add(try Certificate(der: chip.card.pki.cscaCertificate))
        let channel = InProcessChannel(card: chip)
        return try await CardReader(options: .init(trust: trust)).read(channel: channel, key: .can(chip.card.can), reader: "in-process", atr: chip.atr)
    }
}
