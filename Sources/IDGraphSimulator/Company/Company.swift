import Foundation

/// A generated company: its HR roster and, per system, the users, containers and memberships served.
///
/// Deterministic for a size, a seed and an as-of day: the demo, the collectors' tests and the
/// benchmarks all work on the same data. Every condition the rules must catch (or must not) is
/// planted at least once, whatever the size; `accounts(planted:)` finds them.
public struct Company: Sendable {
    /// The number of roster people asked for (the roster has one more row: a re-hired person's old row).
    public let size: Int
    /// The seed.
    public let seed: UInt64
    /// The day the company is generated "as of" (UTC midnight); ages such as "last seen 200 days ago" count back from it.
    public let asOf: Date
    /// The company's email domain.
    public let domain: String
    /// A domain whose emails join as `domain` (written to `domain_aliases`).
    public let aliasDomain: String
    /// `inactive_days` written to the config.
    public let inactiveDays: Int
    /// `stale_invite_days` written to the config.
    public let staleInviteDays: Int
    /// The HR roster rows, in file order.
    public internal(set) var roster: [RosterPerson]
    /// What each system serves.
    public internal(set) var systems: [SimulatedSystem: SystemRecords]
    /// Canonical emails listed as `approved_admins`, per system.
    public internal(set) var approvedAdmins: [SimulatedSystem: [String]]
    /// Procore permission templates that make an admin (`admin_permission_templates`): ids or names.
    public let procoreAdminTemplates: [String]
    /// Procore `company_id`.
    public let procoreCompanyID: Int
    /// The key of the Streak team the API key's user belongs to (`/v2/users/me/teams`).
    public internal(set) var streakTeamKey: String
    /// The Streak user key that owns the API key (`/v1/users/me`).
    public internal(set) var streakOwnerKey: String
    /// Environment variable name → secret value, for the `${NAME}` references in the config.
    public internal(set) var credentials: [String: String]

    /// Generates a company as of today (UTC midnight), so a fresh demo's ages are right for `review` without `--as-of`.
    ///
    /// - Parameters:
    ///   - size: roster people, clamped to 50...250,000.
    ///   - seed: any value; the same seed and size give the same company on the same day.
    public static func generate(size: Int, seed: UInt64) -> Company {
        generate(size: size, seed: seed, asOf: Company.today())
    }

    /// Generates a company whose ages count back from `asOf`: fully deterministic for tests.
    public static func generate(size: Int, seed: UInt64, asOf: Date) -> Company {
        var generator = CompanyGenerator(size: min(max(size, 50), 250_000), seed: seed, asOf: asOf)
        return generator.run()
    }

    /// What `system` serves.
    public func records(_ system: SimulatedSystem) -> SystemRecords {
        systems[system] ?? SystemRecords()
    }

    /// Every account planted for `condition`, with its system.
    public func accounts(planted condition: PlantedCondition) -> [(system: SimulatedSystem, account: SimulatedAccount)] {
        SimulatedSystem.allCases.flatMap { system in
            records(system).accounts.filter { $0.planted.contains(condition) }.map { (system, $0) }
        }
    }

    /// The fewest requests a client needs to read everything `system` serves, at the page sizes idgraph
    /// asks for (a Procore token request included).
    public func fewestRequests(_ system: SimulatedSystem) -> Int { Self.fewestRequests(system, records(system)) }

    /// The fewest requests a client needs to read `records` from `system`.
    public static func fewestRequests(_ system: SimulatedSystem, _ records: SystemRecords) -> Int {
        system.vendor.fewestRequests(records)
    }

    /// Total accounts the systems list (ProcessMaker's hidden system users are not counted).
    public var accountCount: Int { systems.values.reduce(0) { $0 + $1.listedAccounts.count } }

    /// The environment variable names the config refers to.
    public enum CredentialName {
        /// Process Street API key (`X-API-KEY`).
        public static let processStreetToken = "PROCESS_STREET_TOKEN"
        /// ProofHub API key (`X-API-KEY`).
        public static let proofHubToken = "PROOFHUB_TOKEN"
        /// Streak API key (HTTP Basic user name).
        public static let streakAPIKey = "STREAK_API_KEY"
        /// ProcessMaker access token (Bearer).
        public static let processMakerToken = "PROCESSMAKER_TOKEN"
        /// Procore OAuth client id.
        public static let procoreClientID = "PROCORE_CLIENT_ID"
        /// Procore OAuth client secret.
        public static let procoreClientSecret = "PROCORE_CLIENT_SECRET"
    }

    /// Today at 00:00 UTC.
    static func today() -> Date {
        let now = Date().timeIntervalSince1970
        return Date(timeIntervalSince1970: (now / 86_400).rounded(.down) * 86_400)
    }
}
