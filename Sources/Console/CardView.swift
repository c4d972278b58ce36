import CCCD
import Foundation
import MRTD
import Registry

/// What the page shows of one read card: the person, the checks, the verdict and the registry link.
/// Built from a `CardReadout` on the server so the page never sees the MRZ, the raw files or the
/// photo bytes (the photo has its own short-lived URL). Held in memory only while the card is shown.
struct CardView: Sendable, Encodable {
    struct Field: Sendable, Encodable {
        var key: String
        var label: Bilingual
        var value: String
    }

    struct Check: Sendable, Encodable {
        var key: String
        var label: Bilingual
        /// passed, failed, skipped, notSupported, trusted, untrusted, unknown.
        var status: String
        /// The check's stable code (e.g. `sodSignatureInvalid`) and its one-line reason.
        var code: String
        var detail: String
        /// Whether the status counts against the card (red on the page).
        var failing: Bool
    }

    var verdict: String
    var verdictLabel: Bilingual
    var simulated: Bool
    var name: String?
    var idNumber: String?
    var dateOfBirth: String?
    var sex: String?
    var fields: [Field]
    var checks: [Check]
    var photoURL: String?
    var photoNote: Bilingual?
    var registry: RegistryView?
    var readMilliseconds: Int
    var bytesRead: Int

    init(_ r: CardReadout, link: RegistryLink?, photoURL: String?) {
        verdict = r.simulated ? "simulated-" + r.verdict.rawValue : r.verdict.rawValue
        verdictLabel = Self.label(r.verdict)
        simulated = r.simulated
        let c = r.citizen
        name = c?.fullName ?? r.document?.name
        idNumber = c?.idNumber ?? r.identity.idNumber
        dateOfBirth = VietnameseDisplay.date(c?.dateOfBirth ?? r.document?.dateOfBirth)
        sex = c?.sex ?? r.document?.sex
        fields = Self.dg13Fields(c)
        checks = Self.checks(r.verification)
        self.photoURL = photoURL
        if r.photo?.format == "jpeg2000" {
            photoNote = Bilingual("Ảnh JPEG 2000: trình duyệt không hiển thị được", "JPEG 2000 photo: the browser cannot show it")
        } else if r.photo == nil {
            photoNote = Bilingual("Thẻ không có ảnh", "No photo on the card")
        }
        registry = link.map(RegistryView.init)
        readMilliseconds = r.stats.milliseconds
        bytesRead = r.stats.bytesReceived
    }

    static func label(_ v: CardReadout.Verdict) -> Bilingual {
        switch v {
        case .genuine: return Bilingual("THẺ THẬT", "GENUINE")
        case .rejected: return Bilingual("TỪ CHỐI", "REJECTED")
        case .unverified: return Bilingual("CHƯA XÁC MINH", "UNVERIFIED")
        }
    }

    /// The DG13 fields in the card's order, labelled in Vietnamese with English in brackets.
    static func dg13Fields(_ c: CardReadout.Citizen?) -> [Field] {
        guard let c else { return [] }
        let rows: [(String, String, String, String?)] = [
            ("idNumber", "Số định danh cá nhân", "Personal ID number", c.idNumber),
            ("fullName", "Họ và tên", "Full name", c.fullName),
            ("dateOfBirth", "Ngày sinh", "Date of birth", VietnameseDisplay.date(c.dateOfBirth)),
            ("sex", "Giới tính", "Sex", c.sex),
            ("nationality", "Quốc tịch", "Nationality", c.nationality),
            ("ethnicity", "Dân tộc", "Ethnicity", c.ethnicity),
            ("religion", "Tôn giáo", "Religion", c.religion),
            ("placeOfOrigin", "Quê quán", "Place of origin", c.placeOfOrigin),
            ("placeOfResidence", "Nơi thường trú", "Place of residence", c.placeOfResidence),
            ("identifyingMarks", "Đặc điểm nhận dạng", "Identifying marks", c.identifyingMarks),
            ("dateOfIssue", "Ngày cấp", "Date of issue", VietnameseDisplay.date(c.dateOfIssue)),
            ("dateOfExpiry", "Có giá trị đến", "Date of expiry", c.dateOfExpiry.map { VietnameseDisplay.date($0) ?? $0 } ?? "Không thời hạn (no expiry)"),
            ("fatherName", "Họ tên cha", "Father's name", c.fatherName),
            ("motherName", "Họ tên mẹ", "Mother's name", c.motherName),
            ("spouseName", "Họ tên vợ/chồng", "Spouse's name", c.spouseName),
            ("oldIdNumber", "Số CMND cũ", "Old ID number", c.oldIdNumber),
        ]
        return rows.compactMap { key, vi, en, value in
            guard let value, !value.isEmpty else { return nil }
            return Field(key: key, label: Bilingual(vi, en), value: value)
        }
    }

    static func checks(_ v: CardReadout.Verification) -> [Check] {
        [
            Check(key: "access", label: Bilingual("Kiểm soát truy cập", "Access control"), status: v.access.status.rawValue,
                  code: v.access.code.rawValue, detail: [v.access.`protocol`, v.access.detail].filter { !$0.isEmpty }.joined(separator: " · "),
                  failing: v.access.status == .failed),
            Check(key: "passive", label: Bilingual("Xác thực thụ động (chữ ký dữ liệu)", "Passive authentication"),
                  status: v.passive.status.rawValue, code: v.passive.code.rawValue, detail: v.passive.detail, failing: v.passive.status == .failed),
            Check(key: "signer", label: Bilingual("Cơ quan ký", "Document signer"), status: v.signer.status.rawValue,
                  code: v.signer.code.rawValue,
                  detail: ([v.signer.detail] + v.signer.warnings.map { "\($0.code.rawValue): \($0.detail)" }).filter { !$0.isEmpty }.joined(separator: " · "),
                  failing: v.signer.status == .untrusted),
            Check(key: "chip", label: Bilingual("Xác thực chip", "Chip authentication"), status: v.chip.status.rawValue,
                  code: v.chip.code.rawValue, detail: v.chip.detail, failing: v.chip.status == .failed),
            Check(key: "active", label: Bilingual("Xác thực chủ động", "Active authentication"), status: v.active.status.rawValue,
                  code: v.active.code.rawValue, detail: v.active.detail, failing: v.active.status == .failed),
            Check(key: "consistency", label: Bilingual("Khớp DG1/DG13", "DG1/DG13 consistency"), status: v.consistency.status.rawValue,
                  code: v.consistency.code.rawValue, detail: (v.consistency.problems + v.consistency.warnings).joined(separator: " · "),
                  failing: v.consistency.status == .failed),
        ]
    }
}

/// What the registry said about the card: citizen found, card and VNeID status, alerts, and each
/// discrepancy with the card's value beside the record's.
struct RegistryView: Sendable, Encodable {
    struct Alert: Sendable, Encodable {
        var code: String
        var label: Bilingual
    }

    var citizen: String
    var citizenLabel: Bilingual
    var cardStatus: String?
    var cardIssued: String?
    var chip: String?
    var vneidStatus: String?
    var vneidLevel: Int?
    var vneidReason: String?
    var alerts: [Alert]
    var discrepancies: [RegistryLink.Discrepancy]

    init(_ l: RegistryLink) {
        citizen = l.citizen.rawValue
        citizenLabel = l.citizen == .found ? Bilingual("Có trong cơ sở dữ liệu", "Citizen found") : Bilingual("Không tìm thấy công dân", "Citizen not found")
        cardStatus = l.card?.status.rawValue
        cardIssued = l.card.map { VietnameseDisplay.date($0.dateOfIssue) ?? $0.dateOfIssue }
        chip = l.card?.chip.rawValue
        vneidStatus = l.vneid?.status.rawValue
        vneidLevel = l.vneid?.level
        vneidReason = l.vneid?.reason?.rawValue
        alerts = l.alerts.map { Alert(code: $0.rawValue, label: Self.label($0)) }
        discrepancies = l.discrepancies
    }

    static func label(_ a: RegistryLink.Alert) -> Bilingual {
        switch a {
        case .citizenNotFound: return Bilingual("Không tìm thấy công dân", "Citizen not found")
        case .cardNotFound: return Bilingual("Không có thẻ này trong hồ sơ", "Card not in the record")
        case .dataMismatch: return Bilingual("Dữ liệu thẻ khác hồ sơ", "Card data differs from the record")
        case .cardRevoked: return Bilingual("Thẻ đã bị thu hồi", "Card revoked")
        case .cardReportedLost: return Bilingual("Thẻ đã báo mất", "Card reported lost")
        case .cardReplaced: return Bilingual("Thẻ đã được thay thế", "Card replaced")
        case .cardExpired: return Bilingual("Thẻ hết hạn", "Card expired")
        case .differentChip: return Bilingual("Chip khác lần đọc trước", "Different chip from the earlier read")
        }
    }
}

/// Dates as Vietnamese people write them (DD/MM/YYYY).
enum VietnameseDisplay {
    static func date(_ iso: String?) -> String? {
        guard let iso else { return nil }
        let parts = iso.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else { return iso }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }
}
