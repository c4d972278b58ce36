/// Why a field workflow (verifying a printed card, handing it over, taking a VNeID application)
/// refused: a stable code for programs and one line for people. Messages never carry ID numbers,
/// names, CANs or phone numbers. Two errors are equal when their codes are.
public struct FieldWorkflowError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        /// The card is not in the status the step needs (e.g. hand-over of a card not `verified`).
        case wrongStatus
        /// The confirming read's verdict is not genuine.
        case notGenuine
        /// The chip read is not the one whose evidence the card record holds.
        case differentChip
        /// The card read belongs to another citizen or another card of this citizen.
        case wrongCard
        /// The card record holds no chip evidence to compare with.
        case noChipEvidence
        /// No genuine read of the citizen's own card on this device within the allowed time.
        case noFreshRead
        /// The card read is not the citizen's valid card (revoked, lost, replaced, expired, not in the registry).
        case cardNotValid
        /// The phone number is not a Vietnamese mobile number.
        case invalidPhone
        /// No citizen, or no such card.
        case notFound
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
    public static func == (a: FieldWorkflowError, b: FieldWorkflowError) -> Bool { a.code == b.code }
    public func hash(into h: inout Hasher) { h.combine(code) }
}
