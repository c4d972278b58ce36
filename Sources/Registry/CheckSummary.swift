import CCCD
import MRTD

/// Each verification check as a read event records it: status, stable code and detail (and the
/// signer's warning codes). Never keys, MRZ or CAN.
enum CheckSummary {
    static func value(_ v: CardReadout.Verification) -> JSONValue {
        func check(_ status: String, _ code: CheckCode, _ detail: String) -> JSONValue {
            .object(["status": .string(status), "code": .string(code.rawValue), "detail": .string(detail)])
        }
        var signer = [String: JSONValue]()
        if case .object(let o) = check(v.signer.status.rawValue, v.signer.code, v.signer.detail) { signer = o }
        signer["warnings"] = .array(v.signer.warnings.map { .string($0.code.rawValue) })
        return .object([
            "access": check(v.access.status.rawValue, v.access.code, v.access.detail),
            "passive": check(v.passive.status.rawValue, v.passive.code, v.passive.detail),
            "signer": .object(signer),
            "chip": check(v.chip.status.rawValue, v.chip.code, v.chip.detail),
            "active": check(v.active.status.rawValue, v.active.code, v.active.detail),
            "consistency": .object(["status": .string(v.consistency.status.rawValue), "code": .string(v.consistency.code.rawValue),
                                    "problems": .array(v.consistency.problems.map { .string($0) })]),
        ])
    }
}
