/// Progress of a read: the phase it is in and, while a file is read, its bytes.
///
/// A read reports `accessControl` (EF.CardAccess, PACE or BAC), `readingFile` for DG14, then
/// `chipAuthentication`, `readingFile` for EF.SOD, EF.COM and each data group, then (from
/// `CardReader`) `passiveAuthentication` and `activeAuthentication`; a station adds `linking`. Each
/// phase is announced once when it starts; byte reports within a phase repeat it.
public struct ReadProgress: Sendable, Hashable {
    /// A step of a read, in the order a read goes through them.
    public enum Phase: Sendable, Hashable, CustomStringConvertible {
        /// Reading EF.CardAccess and running PACE or BAC.
        case accessControl
        /// Chip Authentication (DG14 key) after access control.
        case chipAuthentication
        /// Reading file `number` of `count` (1-based; `count` is nil until EF.SOD and EF.COM say
        /// how many files the card holds). The file is `ReadProgress.file`.
        case readingFile(number: Int, count: Int?)
        /// Checking EF.SOD's signature, chain and data-group hashes.
        case passiveAuthentication
        /// Active Authentication (the chip signs a challenge with its DG15 key).
        case activeAuthentication
        /// Linking the readout to records and recording it (a station's recorder).
        case linking

        public var description: String {
            switch self {
            case .accessControl: return "access control"
            case .chipAuthentication: return "chip authentication"
            case .readingFile(let n, let m): return "reading file \(n)" + (m.map { " of \($0)" } ?? "")
            case .passiveAuthentication: return "passive authentication"
            case .activeAuthentication: return "active authentication"
            case .linking: return "linking"
            }
        }
    }

    /// The file being read; outside `readingFile` (and the files read during access control),
    /// the last file read.
    public var file: LDSFileID
    public var bytesRead: Int
    /// Total length of this file once its header was read; nil before.
    public var fileLength: Int?
    /// Bytes read across all files so far.
    public var totalBytesRead: Int
    public var phase: Phase = .readingFile(number: 0, count: nil)
}

extension ReadProgress {
    public init(phase: Phase, file: LDSFileID, bytesRead: Int = 0, fileLength: Int? = nil, totalBytesRead: Int = 0) {
        self.init(file: file, bytesRead: bytesRead, fileLength: fileLength, totalBytesRead: totalBytesRead, phase: phase)
    }
}
