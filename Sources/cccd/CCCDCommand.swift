import ArgumentParser

@main
struct CCCD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cccd",
        abstract: "Read and verify Vietnamese chip ID cards (CCCD) through PC/SC readers.",
        subcommands: [Readers.self])
}
