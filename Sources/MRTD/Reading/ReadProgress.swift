/// Progress of a read, reported after every APDU that moved file bytes.
public struct ReadProgress: Sendable, Hashable {
    public var file: LDSFileID
    public var bytesRead: Int
    /// Total length of this file once its header was read; nil before.
    public var fileLength: Int?
    /// Bytes read across all files so far.
    public var totalBytesRead: Int
}
