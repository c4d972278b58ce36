import ISO7816
import MRTD
import PCSC
import Station
import Testing

/// The codes a station reports are the ones `cccd` prints.
struct StationErrorTests {
    static let cases: [(any Error & Sendable, StationError.Code)] = [
        (PCSCError.removedCard, .cardRemoved), (PCSCError.resetCard, .cardRemoved), (PCSCError.noService, .pcscUnavailable),
        (PCSCError.noSmartcard, .noCard), (PCSCError.unknownReader, .noReader), (PCSCError.communicationError, .communication),
        (MRTDError.accessDenied(method: "CAN (PACE)", status: nil), .accessDenied), (MRTDError.noAccessProtocol("x"), .noAccessProtocol),
        (MRTDError.protocolViolation("x"), .cardError), (MRTDError.cancelled, .cancelled), (LDSError("DG1", "x"), .malformedCard),
        (AccessKeyError.invalidCAN, .usage), (CancellationError(), .cancelled),
    ]

    @Test(arguments: cases.indices) func classify(_ i: Int) {
        let (error, code) = Self.cases[i]
        let e = StationError(classifying: error)
        #expect(e.code == code)
        #expect(!e.message.contains("\n"))
    }

    @Test func readerSelection() {
        #expect(ReaderSelection.all.includes("ACS ACR1252 1S CL Reader PICC 0"))
        #expect(ReaderSelection.matching("acr1252").includes("ACS ACR1252 1S CL Reader PICC 0"))
        #expect(!ReaderSelection.matching("Virtual PCD 00 00").includes("Virtual PCD 00 01"))
        #expect(ReaderSelection.list(["00 00", "00 01"]).includes("Virtual PCD 00 01"))
        #expect(ReaderSelection.filter(nil) == .all)
    }
}
