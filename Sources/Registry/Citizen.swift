import CCCD
import Foundation

/// Where a record or a status came from.
public enum RecordSource: String, Codable, Sendable, Hashable, CaseIterable {
    /// The national population database (an import).
    case registry
    /// An officer at a station or in a mobile team.
    case officer
    /// A rule applied by this toolkit (e.g. a revoked card locks the account).
    case derived
    /// Synthetic data from `cccd registry seed`.
    case seed
}

/// A citizen as the population record holds them: the 12-digit personal ID number and every DG13
/// field that belongs to the person (the card's dates belong to `Card`). Text is kept in Unicode NFC.
public struct Citizen: Codable, Sendable, Hashable {
    public var idNumber: String
    public var fullName: String
    /// ISO 8601.
    public var dateOfBirth: String
    /// "M" or "F".
    public var sex: String
    public var nationality: String?
    public var ethnicity: String?
    public var religion: String?
    public var placeOfOrigin: String?
    public var placeOfResidence: String?
    public var identifyingMarks: String?
    public var fatherName: String?
    public var motherName: String?
    public var spouseName: String?
    public var oldIdNumber: String?
    /// Incremented on every change of the record.
    public var version: Int
    public var updatedAt: Date
    public var source: RecordSource

    public init(idNumber: String, fullName: String, dateOfBirth: String, sex: String, nationality: String? = "Việt Nam",
                ethnicity: String? = "Kinh", religion: String? = "Không", placeOfOrigin: String? = nil, placeOfResidence: String? = nil,
                identifyingMarks: String? = nil, fatherName: String? = nil, motherName: String? = nil, spouseName: String? = nil,
                oldIdNumber: String? = nil, version: Int = 1, updatedAt: Date = Date(timeIntervalSince1970: 0), source: RecordSource = .registry) {
        self.init(alreadyNFC: (), idNumber: idNumber, fullName: fullName.precomposedStringWithCanonicalMapping, dateOfBirth: dateOfBirth, sex: sex,
                  nationality: nationality?.precomposedStringWithCanonicalMapping, ethnicity: ethnicity?.precomposedStringWithCanonicalMapping,
                  religion: religion?.precomposedStringWithCanonicalMapping, placeOfOrigin: placeOfOrigin?.precomposedStringWithCanonicalMapping,
                  placeOfResidence: placeOfResidence?.precomposedStringWithCanonicalMapping,
                  identifyingMarks: identifyingMarks?.precomposedStringWithCanonicalMapping, fatherName: fatherName?.precomposedStringWithCanonicalMapping,
                  motherName: motherName?.precomposedStringWithCanonicalMapping, spouseName: spouseName?.precomposedStringWithCanonicalMapping,
                  oldIdNumber: oldIdNumber, version: version, updatedAt: updatedAt, source: source)
    }

    /// A record whose texts the caller guarantees are already NFC (the synthetic province builds
    /// them from NFC tables joined by ASCII): normalising a million generated records was most of
    /// the time `registry seed` took.
    init(alreadyNFC: Void, idNumber: String, fullName: String, dateOfBirth: String, sex: String, nationality: String? = "Việt Nam",
         ethnicity: String? = "Kinh", religion: String? = "Không", placeOfOrigin: String? = nil, placeOfResidence: String? = nil,
         identifyingMarks: String? = nil, fatherName: String? = nil, motherName: String? = nil, spouseName: String? = nil,
         oldIdNumber: String? = nil, version: Int = 1, updatedAt: Date = Date(timeIntervalSince1970: 0), source: RecordSource = .registry) {
        self.idNumber = idNumber
        self.fullName = fullName
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.nationality = nationality
        self.ethnicity = ethnicity
        self.religion = religion
        self.placeOfOrigin = placeOfOrigin
        self.placeOfResidence = placeOfResidence
        self.identifyingMarks = identifyingMarks
        self.fatherName = fatherName
        self.motherName = motherName
        self.spouseName = spouseName
        self.oldIdNumber = oldIdNumber
        self.version = version
        self.updatedAt = updatedAt
        self.source = source
    }

    /// Checks the ID number, the date of birth and sex; returns structure warnings (unknown province).
    @discardableResult
    public func validate() throws -> [String] {
        let id: IDNumber
        do { id = try IDNumber(idNumber) } catch { throw RegistryError.invalidRecord("idNumber must be exactly 12 digits") }
        guard ISODate.validated(dateOfBirth) != nil else { throw RegistryError.invalidRecord("dateOfBirth is not a YYYY-MM-DD date") }
        guard sex == "M" || sex == "F" else { throw RegistryError.invalidRecord("sex must be M or F") }
        guard !fullName.trimmingCharacters(in: .whitespaces).isEmpty else { throw RegistryError.invalidRecord("fullName is empty") }
        return id.warnings
    }

    /// "M"/"F" from the letter or the card's own text ("Nam"/"Nữ", any case, NFC or not); nil otherwise.
    public static func sexLetter(_ s: String?) -> String? {
        switch s?.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces).lowercased() {
        case "m", "nam": return "M"
        case "f", "nữ", "nu": return "F"
        default: return nil
        }
    }

    /// The personal fields compared with DG13 on every read, by their JSON names.
    public var comparableFields: [(String, String?)] {
        [("fullName", fullName), ("dateOfBirth", dateOfBirth), ("sex", sex), ("nationality", nationality), ("ethnicity", ethnicity),
         ("religion", religion), ("placeOfOrigin", placeOfOrigin), ("placeOfResidence", placeOfResidence),
         ("identifyingMarks", identifyingMarks), ("fatherName", fatherName), ("motherName", motherName),
         ("spouseName", spouseName), ("oldIdNumber", oldIdNumber)]
    }

    /// Same personal data (ignoring version, time and source).
    public func sameData(as o: Citizen) -> Bool {
        comparableFields.map(\.1) == o.comparableFields.map(\.1)
    }
}
