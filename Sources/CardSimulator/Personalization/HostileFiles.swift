import MRTD

extension PersonalizedCard {
    /// The same card serving other bytes for one file, with its keys and secure messaging intact.
    ///
    /// Fuzz tests use it to reach every parser and check behind secure messaging with hostile
    /// content (a corrupted answer outside the session only ever reaches the MAC check).
    public func replacingFile(_ id: LDSFileID, with bytes: [UInt8]) -> PersonalizedCard {
        var copy = self
        copy.files[id] = bytes
        return copy
    }
}
