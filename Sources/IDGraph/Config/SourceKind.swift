/// The systems idgraph collects from (SPEC.md, "Sources").
public enum SourceKind: String, Sendable, CaseIterable, Codable {
    case roster
    case processStreet = "processstreet"
    case proofHub = "proofhub"
    case streak
    case processMaker = "processmaker"
    case procore

    /// Whether the source lists accounts of a SaaS API (rather than roster people).
    public var isAPI: Bool { self != .roster }

    /// Whether the source reports when each account was last active, which the
    /// `inactive` rule needs (SPEC.md, "activity field").
    public var hasActivity: Bool { self == .streak || self == .processMaker }

    /// The product name, for reports.
    public var displayName: String {
        switch self {
        case .roster: "HR roster"
        case .processStreet: "Process Street"
        case .proofHub: "ProofHub"
        case .streak: "Streak"
        case .processMaker: "ProcessMaker"
        case .procore: "Procore"
        }
    }
}
