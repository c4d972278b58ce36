import ISO7816

/// The encoding of a face image.
public enum ImageFormat: String, Sendable, Hashable, Codable {
    case jpeg
    case jpeg2000

    /// Recognises JPEG (FF D8 FF), JPEG 2000 in a JP2 box (00 00 00 0C 6A 50 20 20) or a raw
    /// JPEG 2000 codestream (FF 4F FF 51).
    public init?(sniffing b: [UInt8]) {
        if b.count >= 3, b[0] == 0xFF, b[1] == 0xD8, b[2] == 0xFF { self = .jpeg; return }
        if b.count >= 8, b[0..<8] == [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20][...] { self = .jpeg2000; return }
        if b.count >= 4, b[0..<4] == [0xFF, 0x4F, 0xFF, 0x51][...] { self = .jpeg2000; return }
        return nil
    }
}

/// One face from DG2, with the image bytes exactly as stored.
public struct FaceImage: Hashable, Sendable {
    public let format: ImageFormat
    public let width: Int?
    public let height: Int?
    public let data: [UInt8]
    /// "ISO 19794-5" or "ISO 39794-5".
    public let recordFormat: String
}

/// DG2: encoded face (CBEFF biometric information group template, ICAO 9303-10 §4.7.2).
public struct DG2: Hashable, Sendable {
    public let raw: [UInt8]
    public let faces: [FaceImage]

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        let outer = try outerValue(raw, .dataGroup(2))
        var found = [FaceImage]()
        for group in try children(outer, .dataGroup(2)) where group.tag == 0x7F61 {
            for bit in try children(group, .dataGroup(2)) where bit.tag == 0x7F60 {
                for block in try children(bit, .dataGroup(2)) where block.tag == 0x5F2E || block.tag == 0x7F2E {
                    found.append(try DG2.face(fromBiometricData: block))
                }
            }
        }
        guard !found.isEmpty else { throw LDSError("DG2", "no face image") }
        faces = found
    }

    /// The first face.
    public var face: FaceImage { faces[0] }

    static func face(fromBiometricData block: TLV) throws -> FaceImage {
        let b = block.value
        if b.count >= 4, b[0..<4] == [0x46, 0x41, 0x43, 0x00][...] {
            return try iso19794(b)
        }
        return try iso39794(block)
    }

    /// ISO/IEC 19794-5:2005 facial record: general header (14 bytes), facial information (20),
    /// feature points (8 each), image information (12), image data.
    static func iso19794(_ b: [UInt8]) throws -> FaceImage {
        func u16(_ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
        func u32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        guard b.count >= 14 + 20 + 12 else { throw LDSError("DG2", "facial record header truncated") }
        let recordLength = u32(8)
        guard recordLength <= b.count, u16(12) >= 1 else { throw LDSError("DG2", "facial record length \(recordLength) exceeds \(b.count)") }
        let faceStart = 14
        let blockLength = u32(faceStart)
        let landmarks = u16(faceStart + 4)
        let imageInfo = faceStart + 20 + landmarks * 8
        guard imageInfo + 12 <= b.count, blockLength >= 20 + landmarks * 8 + 12, faceStart + blockLength <= b.count else {
            throw LDSError("DG2", "facial information block truncated")
        }
        let dataType = b[imageInfo + 1]
        let width = u16(imageInfo + 2), height = u16(imageInfo + 4)
        let image = Array(b[(imageInfo + 12)..<(faceStart + blockLength)])
        let format: ImageFormat
        switch dataType {
        case 0: format = .jpeg
        case 1: format = .jpeg2000
        default:
            guard let f = ImageFormat(sniffing: image) else { throw LDSError("DG2", "unknown image data type \(dataType)") }
            format = f
        }
        guard ImageFormat(sniffing: image) == format else { throw LDSError("DG2", "image bytes do not match the declared \(format.rawValue)") }
        return FaceImage(format: format, width: width, height: height, data: image, recordFormat: "ISO 19794-5")
    }

    /// ISO/IEC 39794-5 (BER-encoded): the image is the primitive element whose bytes carry a JPEG
    /// or JPEG 2000 signature; width/height are not interpreted.
    static func iso39794(_ block: TLV) throws -> FaceImage {
        var stack = [block.value]
        var depth = 0
        while let bytes = stack.popLast() {
            depth += 1
            guard depth < 10_000 else { break }
            guard let nodes = try? TLV.parseAll(bytes) else { continue }
            for n in nodes {
                if n.tag.isConstructed {
                    stack.append(n.value)
                } else if let f = ImageFormat(sniffing: n.value) {
                    return FaceImage(format: f, width: nil, height: nil, data: n.value, recordFormat: "ISO 39794-5")
                }
            }
        }
        throw LDSError("DG2", "biometric data block holds no JPEG or JPEG 2000 image")
    }

    /// Builds a DG2 with one ISO 19794-5 face record.
    public static func encode(image: [UInt8], format: ImageFormat, width: Int, height: Int) -> [UInt8] {
        func be16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        func be32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        let imageInfo: [UInt8] = [0x01, format == .jpeg ? 0 : 1] + be16(width) + be16(height) + [0x01, 0x02] + be16(0) + be16(0)
        let faceInfo: [UInt8] = [UInt8](be32(20 + 12 + image.count)) + be16(0) + [0, 0, 0] + [0, 0, 0] + be16(0) + [0, 0, 0] + [0, 0, 0]
        let body = faceInfo + imageInfo + image
        let record: [UInt8] = [0x46, 0x41, 0x43, 0x00, 0x30, 0x31, 0x30, 0x00] + be32(14 + body.count) + be16(1) + body
        let header = TLV(tag: 0xA1, children: [
            TLV(tag: 0x80, value: [0x01, 0x01]),
            TLV(tag: 0x81, value: [0x02]),
            TLV(tag: 0x87, value: [0x01, 0x01]),
            TLV(tag: 0x88, value: [0x00, 0x08]),
        ])
        let bit = TLV(tag: 0x7F60, children: [header, TLV(tag: 0x5F2E, value: record)])
        return TLV(tag: 0x75, children: [TLV(tag: 0x7F61, children: [TLV(tag: 0x02, value: [0x01]), bit])]).encoded
    }
}
