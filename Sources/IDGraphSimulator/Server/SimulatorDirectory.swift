import Foundation

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
        // Systems are independent: encode them in parallel (a 100,000-person company has ~450,000 users).
        let chosen = SimulatedSystem.allCases.filter(systems.contains)
        let results = EncodingResults(count: chosen.count)
        DispatchQueue.concurrentPerform(iterations: chosen.count) { index in
            let system = chosen[index]
            let records = company.records(system)
            let encoded: EncodedSystem = switch system {
            case .processStreet: ProcessStreetRoutes.encode(records, company: company)
            case .proofHub: ProofHubRoutes.encode(records, company: company)
            case .streak: StreakRoutes.encode(records, company: company)
            case .processMaker: ProcessMakerRoutes.encode(records, company: company)
            case .procore: ProcoreRoutes.encode(records, company: company)
            }
            results.set(index, encoded)
        }
        self.encoded = Dictionary(uniqueKeysWithValues: zip(chosen, results.values))
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

    /// Encodes `containers` in listing order and indexes them by id.
    mutating func setContainers(_ containers: [SimulatedContainer], _ encode: (SimulatedContainer) -> String) {
        self.containers = containers.map(encode)
        for (index, container) in containers.enumerated() { containerIndex[container.id] = index }
    }

    /// Encodes each membership of `records` with its account, grouped by container;
    /// memberships of an account the system does not list are skipped.
    mutating func setMembers(
        _ records: SystemRecords, _ encode: (SimulatedAccount, SimulatedMembership) -> String
    ) {
        let accounts = Dictionary(records.accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for membership in records.memberships {
            guard let account = accounts[membership.accountID] else { continue }
            members[membership.containerID, default: []].append(encode(account, membership))
        }
    }
}

/// Collects the parallel encodings; each slot is written once, under a lock.
private final class EncodingResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [EncodedSystem]

    init(count: Int) { slots = Array(repeating: EncodedSystem(), count: count) }

    func set(_ index: Int, _ value: EncodedSystem) { lock.withLock { slots[index] = value } }

    var values: [EncodedSystem] { lock.withLock { slots } }
}
