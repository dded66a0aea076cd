/// The in-memory directory every simulated system serves from: the company, pre-encoded.
///
/// Each user, container and membership is encoded to JSON once, here, so a page request is a slice
/// and a join, never O(company) work; a 100,000-person company serves at the speed of small ones.
public struct SimulatorDirectory: Sendable {
    /// The company served.
    public let company: Company
    let encoded: [SimulatedSystem: EncodedSystem]

    /// Encodes `company` for `systems` (all by default).
    public init(company: Company, systems: Set<SimulatedSystem> = Set(SimulatedSystem.allCases)) {
        self.company = company
        var encoded: [SimulatedSystem: EncodedSystem] = [:]
        for system in systems {
            let records = company.records(system)
            switch system {
            case .processStreet: encoded[system] = ProcessStreetRoutes.encode(records, company: company)
            case .proofHub: encoded[system] = ProofHubRoutes.encode(records, company: company)
            case .streak: encoded[system] = StreakRoutes.encode(records, company: company)
            case .processMaker: encoded[system] = ProcessMakerRoutes.encode(records, company: company)
            case .procore: encoded[system] = ProcoreRoutes.encode(records, company: company)
            }
        }
        self.encoded = encoded
    }

    func system(_ system: SimulatedSystem) -> EncodedSystem { encoded[system] ?? EncodedSystem() }
}

/// One system's records as JSON fragments, in listing order, with id indexes.
struct EncodedSystem: Sendable {
    /// User objects in listing order.
    var users: [String] = []
    /// User id → position in `users`.
    var userIndex: [String: Int] = [:]
    /// Container objects in listing order.
    var containers: [String] = []
    /// Container id → position in `containers`.
    var containerIndex: [String: Int] = [:]
    /// Container id → member objects in the shape the system's membership endpoint serves.
    var members: [String: [String]] = [:]
    /// Every membership object in order (ProcessMaker `/group_members` without `group_id`).
    var allMembers: [String] = []
}
