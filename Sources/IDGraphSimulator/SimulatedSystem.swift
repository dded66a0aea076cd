/// One of the five SaaS systems the simulator imitates; the raw value is the `kind` in the idgraph config.
public enum SimulatedSystem: String, CaseIterable, Sendable, Hashable, Codable {
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

    /// The path prefix of the vendor's base URL, as the API guide gives it
    /// (for example `https://api.process.st/api/v1`).
    public var basePath: String {
        switch self {
        case .processStreet: "/api/v1"
        case .proofHub: "/api/v3"
        case .streak: "/api/v1"
        case .processMaker: "/api/1.0"
        case .procore: "/rest/v1.0"
        }
    }

    /// The path of Procore's OAuth token endpoint on the simulated server (`login.procore.com/oauth/token`).
    public static let procoreTokenPath = "/oauth/token"

    /// The human name of the product, for messages.
    public var displayName: String {
        switch self {
        case .processStreet: "Process Street"
        case .proofHub: "ProofHub"
        case .streak: "Streak"
        case .processMaker: "ProcessMaker 4"
        case .procore: "Procore"
        }
    }

    /// The source name the generated config uses for this system.
    public var sourceName: String {
        switch self {
        case .processStreet: "process-street"
        case .proofHub: "proofhub"
        case .streak: "streak"
        case .processMaker: "processmaker"
        case .procore: "procore"
        }
    }
}
