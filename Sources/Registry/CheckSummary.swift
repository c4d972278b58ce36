import CCCD
import MRTD

/// Each verification check as a read event records it: status and detail (and the stable code
/// once the checks carry one). Never keys, MRZ or CAN.
enum CheckSummary {
    static func value(_ v: CardReadout.Verification) -> JSONValue {
        .object([
            "passive": .object(["status": .string(v.passive.status.rawValue), "detail": .string(v.passive.detail)]),
            "signer": .object(["status": .string(v.signer.status.rawValue), "detail": .string(v.signer.detail)]),
            "chip": .object(["status": .string(v.chip.status.rawValue), "detail": .string(v.chip.detail)]),
            "active": .object(["status": .string(v.active.status.rawValue), "detail": .string(v.active.detail)]),
            "consistency": .object(["status": .string(v.consistency.status.rawValue),
                                    "problems": .array(v.consistency.problems.map { .string($0) })]),
        ])
    }
}
