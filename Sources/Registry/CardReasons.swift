/// How stores keep `Card.statusReasons` in one text column: the codes joined by commas (codes are
/// identifiers: letters, digits, `=`, `-`), NULL when there are none.
public enum CardReasons {
    public static func text(_ reasons: [String]) -> String? {
        reasons.isEmpty ? nil : reasons.joined(separator: ",")
    }

    public static func list(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").map(String.init)
    }
}
