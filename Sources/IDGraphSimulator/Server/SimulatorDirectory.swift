import Foundation
import Synchronization

/// The in-memory directory every simulated system serves from: the company, pre-encoded.
///
/// Each user, container and membership is encoded to JSON once, here, so a page request is a slice
/// and a join, never O(company) work; a 100,000-person company serves at the speed of small ones.
public struct SimulatorDirectory: Sendable {
    /// The company served.
    public let company: Company
    let encoded: [SimulatedSystem: EncodedSystem]

    /// Encodes `company` for `systems` (all by default); the accounts of `hostileDates` systems carry
    /// absurd dates (``SimulatorOptions/hostileDates``).
    public init(
        company: Company, systems: Set<SimulatedSystem> = Set(SimulatedSystem.allCases),
        hostileDates: Set<SimulatedSystem> = []
    ) {
        self.company = company
        // Systems are independent: encode them in parallel (a 100,000-person company has ~450,000 users).
        let chosen = SimulatedSystem.allCases.filter(systems.contains)
        let results = EncodingResults(count: chosen.count)
        DispatchQueue.concurrentPerform(iterations: chosen.count) { index in
            let system = chosen[index]
            var records = company.records(system)
            if hostileDates.contains(system) {
                for index in records.accounts.indices {
                    records.accounts[index].created = .absurd(.absurdDigits)
                    if records.accounts[index].lastSeen.form != .missing {
                        records.accounts[index].lastSeen = .absurd(.absurdNumber)
                    }
                }
            }
            results.set(index, system.vendor.encode(records, company: company))
        }
        self.encoded = Dictionary(uniqueKeysWithValues: zip(chosen, results.values))
    }

    func system(_ system: SimulatedSystem) -> EncodedSystem { encoded[system] ?? EncodedSystem() }
}

/// One system's records as JSON fragments, in listing order, by the name of the list that serves them.
struct EncodedSystem: Sendable {
    /// List name (a vendor's own key, such as `users` or `project:7:users`) → JSON objects in listing order.
    var lists: [String: [String]] = [:]
    /// Object name (such as `user:42`) → one JSON object.
    var objects: [String: String] = [:]

    /// The list `name`, empty when there is none.
    subscript(list name: String) -> [String] { lists[name] ?? [] }

    /// Appends `object` to the list `name`.
    mutating func append(_ object: String, to name: String) { lists[name, default: []].append(object) }
}

/// Collects the parallel encodings; each slot is written once, under a mutex.
private final class EncodingResults: Sendable {
    private let slots: Mutex<[EncodedSystem]>

    init(count: Int) { slots = Mutex(Array(repeating: EncodedSystem(), count: count)) }

    func set(_ index: Int, _ value: EncodedSystem) { slots.withLock { $0[index] = value } }

    var values: [EncodedSystem] { slots.withLock { $0 } }
}
