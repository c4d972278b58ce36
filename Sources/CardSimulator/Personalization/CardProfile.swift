import CCCD
import MRTD

/// Everything that decides what a simulated card looks like, as JSON-friendly values.
///
/// `cccd simulate --profile FILE` reads this; every field but `citizen` has a default that
/// matches the real Vietnamese card as far as it is publicly known (cccd-chip.md).
public struct CardProfile: Codable, Hashable, Sendable {
    public enum ActiveAuthenticationKey: String, Codable, Sendable { case rsa1024, rsa2048, ecdsaP256 }

    public var citizen: CitizenRecord
    /// The CAN for PACE; default: the last 6 digits of the ID number.
    public var can: String?
    public var faceFormat: ImageFormat
    /// Path of a face image to store in DG2 (format sniffed); default: the placeholder.
    public var faceImagePath: String?
    /// Pad the placeholder face to this many bytes (realistic DG2 sizes are 15–20 KB).
    public var faceSize: Int
    public var activeAuthentication: ActiveAuthenticationKey
    /// Standardized PACE parameter IDs offered (ECDH-GM-AES-128 for each), strongest last.
    public var paceParameterIDs: [Int]
    public var pace: Bool
    /// "GM" (Generic Mapping, as the Vietnamese card), "IM" (Integrated Mapping) or "CAM" (Chip
    /// Authentication Mapping, with EF.CardSecurity).
    public var paceMapping: String
    public var bac: Bool
    /// PACE cipher: "AES-128" (default), "AES-192", "AES-256" or "3DES" (GM only).
    public var paceCipher: String
    /// Publish the PACE domain as explicit parameters (PACEDomainParameterInfo, parameter ID 32)
    /// instead of a standardized ID: the parameters of the first `paceParameterIDs` entry.
    public var paceExplicitDomain: Bool
    /// Chip Authentication suite in DG14: "ECDH-AES-128" (as the Vietnamese card), "ECDH-3DES",
    /// "DH-AES-128" or "DH-3DES" (DH on the RFC 5114 2048-bit group with 224-bit subgroup).
    public var chipAuthentication: String
    public var extendedLength: Bool
    /// Answer SELECT MF with 6D00, as some Vietnamese cards do.
    public var selectMFUnsupported: Bool
    /// Seed of the test PKI and of the chip's own keys.
    public var seed: String
    public var pkiFlavor: TestPKI.Flavor

    public init(citizen: CitizenRecord, can: String? = nil, faceFormat: ImageFormat = .jpeg, faceImagePath: String? = nil,
                faceSize: Int = 16_000, activeAuthentication: ActiveAuthenticationKey = .rsa1024, paceParameterIDs: [Int] = [13],
                pace: Bool = true, paceMapping: String = "GM", bac: Bool = true, paceCipher: String = "AES-128", paceExplicitDomain: Bool = false, chipAuthentication: String = "ECDH-AES-128", extendedLength: Bool = true, selectMFUnsupported: Bool = true,
                seed: String = "swift-cccd test PKI", pkiFlavor: TestPKI.Flavor = .ecBrainpool) {
        self.citizen = citizen
        self.can = can
        self.faceFormat = faceFormat
        self.faceImagePath = faceImagePath
        self.faceSize = faceSize
        self.activeAuthentication = activeAuthentication
        self.paceParameterIDs = paceParameterIDs
        self.pace = pace
        self.paceMapping = paceMapping
        self.bac = bac
        self.chipAuthentication = chipAuthentication
        self.paceCipher = paceCipher
        self.paceExplicitDomain = paceExplicitDomain
        self.extendedLength = extendedLength
        self.selectMFUnsupported = selectMFUnsupported
        self.seed = seed
        self.pkiFlavor = pkiFlavor
    }

    /// The built-in card: the synthetic citizen of test-vectors.md.
    public static let sample = CardProfile(citizen: .sample)

    enum CodingKeys: String, CodingKey {
        case citizen, can, faceFormat, faceImagePath, faceSize, activeAuthentication, paceParameterIDs, pace, paceMapping, bac, paceCipher, paceExplicitDomain, chipAuthentication,
             extendedLength, selectMFUnsupported, seed, pkiFlavor
    }

    /// Decodes with defaults for every missing field, so a profile can be just `{"citizen": {...}}`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CardProfile(citizen: try c.decode(CitizenRecord.self, forKey: .citizen))
        self.init(
            citizen: d.citizen,
            can: try c.decodeIfPresent(String.self, forKey: .can),
            faceFormat: try c.decodeIfPresent(ImageFormat.self, forKey: .faceFormat) ?? d.faceFormat,
            faceImagePath: try c.decodeIfPresent(String.self, forKey: .faceImagePath),
            faceSize: try c.decodeIfPresent(Int.self, forKey: .faceSize) ?? d.faceSize,
            activeAuthentication: try c.decodeIfPresent(ActiveAuthenticationKey.self, forKey: .activeAuthentication) ?? d.activeAuthentication,
            paceParameterIDs: try c.decodeIfPresent([Int].self, forKey: .paceParameterIDs) ?? d.paceParameterIDs,
            pace: try c.decodeIfPresent(Bool.self, forKey: .pace) ?? d.pace,
            paceMapping: try c.decodeIfPresent(String.self, forKey: .paceMapping) ?? d.paceMapping,
            bac: try c.decodeIfPresent(Bool.self, forKey: .bac) ?? d.bac,
            paceCipher: try c.decodeIfPresent(String.self, forKey: .paceCipher) ?? d.paceCipher,
            paceExplicitDomain: try c.decodeIfPresent(Bool.self, forKey: .paceExplicitDomain) ?? d.paceExplicitDomain,
            chipAuthentication: try c.decodeIfPresent(String.self, forKey: .chipAuthentication) ?? d.chipAuthentication,
            extendedLength: try c.decodeIfPresent(Bool.self, forKey: .extendedLength) ?? d.extendedLength,
            selectMFUnsupported: try c.decodeIfPresent(Bool.self, forKey: .selectMFUnsupported) ?? d.selectMFUnsupported,
            seed: try c.decodeIfPresent(String.self, forKey: .seed) ?? d.seed,
            pkiFlavor: try c.decodeIfPresent(TestPKI.Flavor.self, forKey: .pkiFlavor) ?? d.pkiFlavor)
    }
}
