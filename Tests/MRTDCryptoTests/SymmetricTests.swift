import MRTDCrypto
import Testing

func h(_ s: String) -> [UInt8] { [UInt8](hexString: s) }

extension Array where Element == UInt8 {
    init(hexString: String) {
        var out = [UInt8]()
        var hi: UInt8?
        for c in hexString.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 65...70: v = c - 55
            case 97...102: v = c - 87
            default: continue
            }
            if let x = hi { out.append(x << 4 | v); hi = nil } else { hi = v }
        }
        self = out
    }
}

struct SymmetricTests {
    // ICAO 9303-11 Appendix D.3: EXTERNAL AUTHENTICATE cryptogram and its MAC.
    @Test func tripleDESAndRetailMACMatchAppendixD() throws {
        let kenc = h("AB94FDECF2674FDFB9B391F85D7F76F2"), kmac = h("7962D9ECE03D1ACD4C76089DCE131543")
        let s = h("781723860C06C226") + h("4608F91988702212") + h("0B795240CB7049B01C19B33E32804F0B")
        let eifd = try TripleDES.encryptCBC(key: kenc, s)
        #expect(eifd == h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"))
        #expect(try TripleDES.decryptCBC(key: kenc, eifd) == s)
        let mifd = try TripleDES.retailMAC(key: kmac, ISO9797Padding.pad(eifd, blockSize: 8))
        #expect(mifd == h("5F1448EEA8AD90A7"))
    }

    @Test func parityAdjustment() {
        #expect(TripleDES.adjustParity(h("AA95FDECF3674FDEB9B290F85C7E77F3")) == h("AB94FDECF2674FDFB9B391F85D7F76F2"))
    }

    // BSI worked example: AES SM encryption of a command body and a response MAC.
    @Test func aesMatchesTheBSIWorkedExample() throws {
        let ksenc = h("68406B4162100563D9C901A6154D2901"), ksmac = h("73FF268784F72AF833FDC9464049AFC9")
        var ssc = [UInt8](repeating: 0, count: 16)
        ssc[15] = 1
        let iv = try AESCipher.encryptBlock(key: ksenc, ssc)
        let body = ISO9797Padding.pad(h("830D44454356434141543030303031"), blockSize: 16)
        #expect(try AESCipher.encryptCBC(key: ksenc, iv: iv, body) == h("BE90237EEB4BA0FF253EA246AE31C8B8"))
        ssc[15] = 2
        let mac = try AESCipher.cmac(key: ksmac, ISO9797Padding.pad(ssc + h("99029000"), blockSize: 16), length: 8)
        #expect(mac == h("A89570A68664A7D6"))
    }

    @Test func cmacRFC4493() throws {
        let key = h("2b7e151628aed2a6abf7158809cf4f3c")
        #expect(try AESCipher.cmac(key: key, []) == h("bb1d6929e95937287fa37d129b756746"))
        #expect(try AESCipher.cmac(key: key, h("6bc1bee22e409f96e93d7e117393172a")) == h("070a16b46b4d4144f79bdd9dd04a287c"))
    }

    @Test func paddingRoundTrip() {
        #expect(ISO9797Padding.pad([1, 2, 3], blockSize: 8) == [1, 2, 3, 0x80, 0, 0, 0, 0])
        #expect(ISO9797Padding.pad([UInt8](repeating: 1, count: 8), blockSize: 8).count == 16)
        #expect(ISO9797Padding.unpad([1, 2, 3, 0x80, 0, 0, 0, 0]) == [1, 2, 3])
        #expect(ISO9797Padding.unpad([1, 2, 3, 0, 0]) == nil)
        #expect(ISO9797Padding.unpad([]) == nil)
    }

    @Test func badKeysAndLengthsAreTypedErrors() {
        #expect(throws: CryptoError.self) { try TripleDES.encryptCBC(key: [1, 2, 3], [UInt8](repeating: 0, count: 8)) }
        #expect(throws: CryptoError.self) { try TripleDES.encryptCBC(key: [UInt8](repeating: 1, count: 16), [1]) }
        #expect(throws: CryptoError.self) { try AESCipher.encryptCBC(key: [1], [UInt8](repeating: 0, count: 16)) }
        #expect(throws: CryptoError.self) { try AESCipher.decryptCBC(key: [UInt8](repeating: 0, count: 16), [1, 2]) }
    }

    @Test func hashes() {
        #expect(HashAlgorithm.sha1.hash(Array("abc".utf8)) == h("a9993e364706816aba3e25717850c26c9cd0d89d"))
        #expect(HashAlgorithm.sha224.hash(Array("abc".utf8)) == h("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"))
        #expect(HashAlgorithm.sha256.hash(Array("abc".utf8)) == h("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        for a in HashAlgorithm.allCases { #expect(a.hash([]).count == a.outputLength) }
    }
}
