import Foundation

/// The whole state the page renders, sent as one JSON object on every change (server-sent event
/// `state`). The page keeps nothing else: when a card's data is dropped here, the next state no
/// longer carries it and the page's DOM loses it.
struct PageState: Sendable, Encodable {
    struct Progress: Sendable, Encodable {
        var phase: String
        var label: Bilingual
        var file: String
        var fileNumber: Int?
        var fileCount: Int?
        var bytes: Int
        var fileBytes: Int
        var fileLength: Int?
    }

    struct Reader: Sendable, Encodable {
        var id: String
        var name: String
        var profile: String?
        var attached: Bool
        /// absent, present, mute.
        var card: String
        /// idle, waitingKey, reading, done, failed, wrongKey, wrongKeyTwice, cleared.
        var status: String
        var attempts: Int
        var message: Bilingual?
        var progress: Progress?
        var result: CardView?
        var station: StationReaderView?
    }

    var mode: String
    var modeName: String?
    var simulated: Bool
    var clearAfter: Int
    var registry: Bool
    var keyFromOperator: Bool
    var readers: [Reader]
    var station: StationTotalsView?
    var error: Bilingual?
}
