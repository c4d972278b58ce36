import Foundation
import ISO7816

/// What we know about a reader model: how much it can carry, and what to work around.
///
/// Profiles live as JSON in `Hardware/readers/` so a station can add one without a rebuild.
public struct ReaderProfile: Codable, Hashable, Sendable {
    public struct EscapeCommand: Codable, Hashable, Sendable {
        public var name: String
        /// Vendor control code, before SCARD_CTL_CODE mapping.
        public var controlCode: UInt32
        public var command: String
        public var description: String
    }

    public var id: String
    public var name: String
    public var vendor: String
    /// Case-insensitive substrings of the PC/SC reader name.
    public var match: [String]
    public var usbVendorID: String?
    /// "contactless", "contact", "virtual".
    public var interfaces: [String]
    /// true/false when known; nil means probe (SCARD_ATTR_MAXINPUT) before trusting it.
    public var extendedLength: Bool?
    public var maxCommandBytes: Int
    public var maxResponseBytes: Int
    public var quirks: [String]
    public var escapeCommands: [EscapeCommand]
    public var notes: String
    /// Where the capability facts come from ("datasheet", "tested", "unverified").
    public var source: String

    /// Whether this profile describes the named reader.
    public func matches(readerName: String) -> Bool {
        let lower = readerName.lowercased()
        return match.contains { lower.contains($0.lowercased()) }
    }

    /// Transport limits the reader allows, before the card's own limits are applied.
    public var limits: TransportLimits {
        TransportLimits(extendedLength: extendedLength ?? false,
                        maxCommandBytes: maxCommandBytes, maxResponseBytes: maxResponseBytes)
    }

    /// The profile used for a reader no file describes: short APDUs until probing proves more.
    public static func unknown(readerName: String) -> ReaderProfile {
        ReaderProfile(
            id: "unknown", name: readerName, vendor: "unknown", match: [], usbVendorID: nil,
            interfaces: ["contactless"], extendedLength: nil,
            maxCommandBytes: TransportLimits.short.maxCommandBytes,
            maxResponseBytes: TransportLimits.short.maxResponseBytes,
            quirks: [], escapeCommands: [], notes: "No profile matched; extended length is probed.",
            source: "default")
    }
}
