import ArgumentParser

extension CCCD {
    /// `cccd station`: an issuing station's steps after printing.
    struct StationGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "station",
            abstract: "Verify freshly printed cards and hand them over.",
            subcommands: [StationVerifyPrinted.self, StationHandOver.self])
    }
}
