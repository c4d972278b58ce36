import MRTD

/// Cross-checks between DG1 (MRZ) and DG13 that every read of a Vietnamese card should pass
/// (cccd-chip.md). Problems make a card fail; warnings are reported and never reject.
public struct ConsistencyResult: Codable, Sendable, Hashable {
    public var status: CheckStatus
    public var problems: [String]
    public var warnings: [String]

    /// The stable code of the outcome (problems are prose for people).
    public var code: CheckCode {
        switch status {
        case .passed: return .consistent
        case .failed: return .dataInconsistent
        case .skipped, .notSupported: return .readAborted
        }
    }
}

public enum ConsistencyChecks {
    public static func check(dg1: DG1?, dg13: DG13?, referenceYear: Int) -> ConsistencyResult {
        var problems = [String]()
        var warnings = [String]()
        guard let dg1 else {
            return ConsistencyResult(status: .failed, problems: ["DG1 (MRZ) was not read"], warnings: [])
        }
        if let p = dg1.mrzProblem { problems.append("DG1: \(p)") }
        guard let mrz = dg1.mrz else {
            return ConsistencyResult(status: .failed, problems: problems, warnings: warnings)
        }
        let vietnamese = mrz.issuingState == "VNM" && mrz.format == .td1
        guard vietnamese else {
            return ConsistencyResult(status: problems.isEmpty ? .passed : .failed, problems: problems, warnings: ["not a Vietnamese ID card: only MRZ checks apply"])
        }
        // A parsed TD1 MRZ has three lines of exactly 30 ASCII characters (MRZ.init checks both).
        let lineOne = Array(mrz.lines.first ?? "")
        guard lineOne.count == 30 else {
            problems.append("MRZ line 1 is not 30 characters")
            return ConsistencyResult(status: .failed, problems: problems, warnings: warnings)
        }
        let mrzID = String(lineOne[15..<27])
        if !ASCIIDigits.isDigits(mrzID) {
            problems.append("MRZ optional data does not hold a 12-digit ID number")
        } else if CheckDigit.character(mrzID) != lineOne[29] {
            problems.append("MRZ line 1 position 30 is not the check digit of the ID number")
        }
        guard let dg13 else {
            problems.append("DG13 was not read")
            return ConsistencyResult(status: .failed, problems: problems, warnings: warnings)
        }
        guard let id = dg13.idNumber else {
            problems.append("DG13 has no ID number")
            return ConsistencyResult(status: .failed, problems: problems, warnings: warnings)
        }
        if let parsed = try? IDNumber(id) {
            if mrz.documentNumber != parsed.documentNumber { problems.append("DG1 document number is not the last 9 digits of the DG13 ID number") }
            if ASCIIDigits.isDigits(mrzID), mrzID != id { problems.append("MRZ optional data ID differs from DG13") }
            warnings += parsed.warnings
            if let dob = dg13.dateOfBirth, let year = ASCIIDigits.value(dob.prefix(4)), year != parsed.birthYear {
                warnings.append("ID number encodes birth year \(parsed.birthYear), DG13 says \(year)")
            }
            if let sex = dg13.sex, String(parsed.sex) != sex { warnings.append("ID number encodes sex \(parsed.sex), DG13 says \(sex)") }
        } else {
            problems.append("DG13 ID number is not 12 digits")
        }
        if let dob = dg13.dateOfBirth {
            let yymmdd = String(dob.dropFirst(2).prefix(2)) + String(dob.dropFirst(5).prefix(2)) + String(dob.suffix(2))
            if yymmdd != mrz.dateOfBirth { problems.append("DG1 and DG13 dates of birth differ") }
        } else {
            problems.append("DG13 date of birth missing or not a date")
        }
        if let sex = dg13.sex, String(mrz.sex) != sex { problems.append("DG1 and DG13 sex differ") }
        if mrz.dateOfExpiry == VietnameseMRZ.noExpiry {
            if !dg13.hasNoExpiry && dg13.dateOfExpiry != nil { problems.append("MRZ says no expiry (991231) but DG13 has an expiry date") }
        } else if let doe = dg13.dateOfExpiry {
            let yymmdd = String(doe.dropFirst(2).prefix(2)) + String(doe.dropFirst(5).prefix(2)) + String(doe.suffix(2))
            if yymmdd != mrz.dateOfExpiry { problems.append("DG1 and DG13 dates of expiry differ") }
        } else if dg13.hasNoExpiry {
            problems.append("DG13 says no expiry but the MRZ has an expiry date")
        }
        return ConsistencyResult(status: problems.isEmpty ? .passed : .failed, problems: problems, warnings: warnings)
    }
}
