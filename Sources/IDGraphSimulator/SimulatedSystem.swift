/// One of the SaaS systems the simulator imitates; the raw value is the `kind` in the idgraph config.
///
/// Each case is served by one ``SimulatedVendor`` (`Vendors/`, one file a vendor): ``vendor`` is the
/// one registry line a new system adds, beside its case.
public enum SimulatedSystem: String, CaseIterable, Sendable, Hashable {
    /// Process Street.
    case processStreet = "processstreet"
    /// ProofHub.
    case proofHub = "proofhub"
    /// Streak.
    case streak
    /// ProcessMaker 4.
    case processMaker = "processmaker"
    /// Procore.
    case procore

    /// The vendor file that serves this system.
    var vendor: any SimulatedVendor.Type {
        switch self {
        case .processStreet: ProcessStreetVendor.self
        case .proofHub: ProofHubVendor.self
        case .streak: StreakVendor.self
        case .processMaker: ProcessMakerVendor.self
        case .procore: ProcoreVendor.self
        }
    }

    /// The path prefix of the vendor's API root (for example `/api/v1.1` for `https://public-api.process.st/api/v1.1`).
    public var basePath: String { vendor.basePath }

    /// The path of Procore's OAuth token endpoint on the simulated server (`login.procore.com/oauth/token`).
    public static let procoreTokenPath = "/oauth/token"

    /// The human name of the product, for messages.
    public var displayName: String { vendor.displayName }

    /// The source name the generated config uses for this system.
    public var sourceName: String { vendor.sourceName }

    /// Whether the system reports each account's last activity (the `inactive` rule's coverage).
    public var exposesActivity: Bool { vendor.exposesActivity }
}
