import Foundation
import ISO7816
@testable import PCSC
import Testing

struct ReaderProfileTests {
    @Test func theCheckoutProfilesLoadAndCoverTheRequiredReaders() throws {
        let catalog = ReaderProfileCatalog.standard
        #expect(catalog.problems.isEmpty, "\(catalog.problems)")
        let names = [
            "ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00": "acs-acr1252u",
            "ACS ACR1281 1S Dual Reader [ACR1281 1S Dual Reader PICC] 00 01": "acs-acr1281u",
            "ACS ACR122U PICC Interface 00 00": "acs-acr122u",
            "HID Global OMNIKEY 5022 Smart Card Reader [OMNIKEY 5022 Smart Card Reader] 00 00": "hid-omnikey-5022",
            "HID Global OMNIKEY 5422CL Smartcard Reader [OMNIKEY 5422CL Smartcard Reader] 01 00": "hid-omnikey-5422",
            "HID Global OMNIKEY 5427 CK [OMNIKEY 5427 CK] 00 00": "hid-omnikey-5427",
            "Identiv uTrust 3700 F CL Reader [uTrust 3700 F CL Reader] 00 00": "identiv-utrust-3700f",
            "Identiv uTrust 4701 F Dual Interface Reader(2) 01 00": "identiv-utrust-4701f",
            "Feitian R502 [R502 Contactless Reader] 00 00": "feitian-r502",
            "Virtual PCD 00 01": "vsmartcard-vpcd",
        ]
        for (reader, id) in names {
            #expect(catalog.profile(forReader: reader)?.id == id, "\(reader)")
        }
        #expect(catalog.profile(forReader: "Some Unknown Reader 00 00") == nil)
        #expect(catalog.profile(forReader: "ACS ACR122U PICC Interface 00 00")?.limits.extendedLength == false)
    }

    @Test func aBrokenProfileFileIsReportedNotFatal() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{ not json".utf8).write(to: dir.appendingPathComponent("bad.json"))
        let catalog = ReaderProfileCatalog.load(from: [dir])
        #expect(catalog.profiles.isEmpty)
        #expect(catalog.problems.count == 1)
    }

    @Test func readerNameMatching() {
        #expect(ReaderName.matches("Virtual PCD 00 00", nil))
        #expect(ReaderName.matches("Virtual PCD 00 00", "virtual pcd"))
        #expect(ReaderName.matches("Virtual PCD 00 00", "Virtual PCD 00 00"))
        #expect(!ReaderName.matches("Virtual PCD 00 00", "ACR"))
    }

    @Test func everyPCSCCodeMapsToATypedErrorWithAMessage() {
        #expect(PCSCError(code: 0) == nil)
        #expect(PCSCError(code: 0x8010_001D) == .noService)
        #expect(PCSCError.noService.description.contains("pcscd"))
        #expect(PCSCError(code: 0x8010_0069) == .removedCard)
        #expect(PCSCError(code: 0x8010_0002) == .cancelled)
        #expect(PCSCError(code: 0x8010_0099) == .unknown(0x8010_0099))
        for code in UInt32(0x8010_0001)...0x8010_0031 {
            let e = PCSCError(code: code)!
            #expect(!e.description.isEmpty)
            #expect(!e.description.contains("\n"))
        }
    }

    @Test func multiStringParsing() {
        let raw: [CChar] = Array("A 00\0B 01\0\0".utf8CString.dropLast()).map { $0 }
        #expect(parseMultiString(raw) == ["A 00", "B 01"])
        #expect(parseMultiString([CChar]()) == [])
    }

    @Test func eventTransitions() {
        let empty = ReaderState(reader: "R", flags: [.empty], atr: [], eventCount: 1)
        let present = ReaderState(reader: "R", flags: [.present], atr: [0x3B, 0x00], eventCount: 2)
        let swapped = ReaderState(reader: "R", flags: [.present], atr: [0x3B, 0x01], eventCount: 4)
        let mute = ReaderState(reader: "R", flags: [.present, .mute], atr: [], eventCount: 2)
        #expect(ReaderEvent.transitions(from: empty, to: present) == [.cardInserted(reader: "R", atr: [0x3B, 0x00])])
        #expect(ReaderEvent.transitions(from: present, to: empty) == [.cardRemoved(reader: "R")])
        #expect(ReaderEvent.transitions(from: present, to: swapped) == [.cardRemoved(reader: "R"), .cardInserted(reader: "R", atr: [0x3B, 0x01])])
        #expect(ReaderEvent.transitions(from: empty, to: mute) == [.cardMute(reader: "R")])
        #expect(ReaderEvent.transitions(from: present, to: present) == [])
    }
}
