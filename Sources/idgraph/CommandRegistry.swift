import ArgumentParser

/// The subcommands of `idgraph`, in the order `--help` lists them.
enum CommandRegistry {
    static let subcommands: [any ParsableCommand.Type] = [
        DemoCommand.self,
        InitCommand.self,
        CheckCommand.self,
        CollectCommand.self,
        ReviewCommand.self,
        QueryCommand.self,
        CampaignCommand.self,
        RemediationCommand.self,
        DiffCommand.self,
        LeaversCommand.self,
        EvidenceCommand.self,
        SimulateCommand.self,
    ]
}
