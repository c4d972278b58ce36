import ArgumentParser

extension CCCD {
    /// `cccd registry`: the citizens, cards and VNeID accounts reads are linked to.
    struct RegistryGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "registry",
            abstract: "Import, seed, show and count registry records.",
            subcommands: [RegistryImport.self, RegistrySeed.self, RegistryShow.self, RegistryStatsCommand.self, RegistryExtract.self])
    }

    /// `cccd card set-status`.
    struct CardCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "card", abstract: "Change a card's status.", subcommands: [CardSetStatus.self])
    }

    /// `cccd vneid set-status`.
    struct VNeIDCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "vneid", abstract: "Change a VNeID account's status or take a level-2 application.", subcommands: [VNeIDSetStatus.self, VNeIDApply.self])
    }

    /// `cccd audit verify`.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the registry's event chains.", subcommands: [AuditVerify.self])
    }
}
