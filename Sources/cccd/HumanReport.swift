import CCCD
import MRTD

/// The readable summary: Vietnamese labels with English in brackets, the checks, the verdict.
enum HumanReport {
    static func render(_ r: CardReadout, note: String?) -> String {
        var out = [String]()
        if r.simulated {
            out.append("THẺ MÔ PHỎNG (SIMULATED CARD): the built-in synthetic card, not a real citizen; its test CSCA was trusted for this read only")
        }
        out.append("Đầu đọc (Reader): \(r.reader)")
        out.append("Truy cập (Access): \(r.access.method) with \(r.access.password)")
        if let note { out.append(note) }
        out.append("")
        if let c = r.citizen {
            let rows: [(String, String?)] = [
                ("Số định danh cá nhân (ID number)", c.idNumber),
                ("Họ và tên (Full name)", c.fullName),
                ("Ngày sinh (Date of birth)", c.dateOfBirth),
                ("Giới tính (Sex)", c.sex.map { $0 == "Nam" ? "Nam (M)" : ($0 == "Nữ" ? "Nữ (F)" : $0) }),
                ("Quốc tịch (Nationality)", c.nationality),
                ("Dân tộc (Ethnicity)", c.ethnicity),
                ("Tôn giáo (Religion)", c.religion),
                ("Quê quán (Place of origin)", c.placeOfOrigin),
                ("Nơi thường trú (Place of residence)", c.placeOfResidence),
                ("Đặc điểm nhận dạng (Identifying marks)", c.identifyingMarks),
                ("Ngày cấp (Date of issue)", c.dateOfIssue),
                ("Có giá trị đến (Date of expiry)", c.dateOfExpiry ?? "Không thời hạn (no expiry)"),
                ("Họ tên cha (Father)", c.fatherName),
                ("Họ tên mẹ (Mother)", c.motherName),
                ("Vợ/chồng (Spouse)", c.spouseName),
                ("Số CMND cũ (Old ID number)", c.oldIdNumber),
            ]
            let width = rows.map { $0.0.count }.max() ?? 0
            for (label, value) in rows {
                out.append(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + (value ?? "—"))
            }
        } else if let d = r.document {
            out.append("Document \(d.documentCode) \(d.issuingState) \(d.documentNumber): \(d.name), born \(d.dateOfBirth ?? "?")")
        }
        if let p = r.photo { out.append("Ảnh (Photo): \(p.format), \(p.bytes) bytes") }
        out.append("")
        out.append("Kiểm tra (Verification)")
        let v = r.verification
        let checks: [(String, String, String)] = [
            ("Access protocol", v.access.status.rawValue, "\(v.access.code.rawValue): \(v.access.detail)"),
            ("Passive Authentication", v.passive.status.rawValue, "\(v.passive.code.rawValue): \(v.passive.detail)"),
            ("Document signer", v.signer.status.rawValue, "\(v.signer.code.rawValue): \(v.signer.detail)"),
            ("Chip Authentication", v.chip.status.rawValue, "\(v.chip.code.rawValue): \(v.chip.detail)"),
            ("Active Authentication", v.active.status.rawValue, "\(v.active.code.rawValue): \(v.active.detail)"),
            ("Consistency", v.consistency.status.rawValue, v.consistency.problems.isEmpty ? "DG1 and DG13 agree" : v.consistency.problems.joined(separator: "; ")),
        ]
        for (name, status, detail) in checks {
            out.append("  " + name.padding(toLength: 24, withPad: " ", startingAt: 0) + status.padding(toLength: 13, withPad: " ", startingAt: 0) + detail)
        }
        for w in v.signer.warnings { out.append("  warning: \(w.code.rawValue): \(w.detail)") }
        for w in v.consistency.warnings { out.append("  warning: \(w)") }
        out.append("")
        let verdictText: String
        switch r.verdict {
        case .genuine: verdictText = "THẺ THẬT (GENUINE)"
        case .rejected: verdictText = "TỪ CHỐI (REJECTED)"
        case .unverified: verdictText = "CHƯA XÁC MINH (UNVERIFIED)"
        }
        out.append("Kết luận (Verdict): \(verdictText)")
        out.append("\(r.stats.apdus) APDUs, \(r.stats.bytesSent + r.stats.bytesReceived) bytes, \(r.stats.milliseconds) ms")
        return out.joined(separator: "\n")
    }
}
