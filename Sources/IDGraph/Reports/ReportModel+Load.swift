import Foundation
import GRDB

extension ReportModel {
    /// What the report says about the graph itself: its sources and, for a
    /// page that streams its accounts, how many roster people have access.
    /// It does not depend on the findings, so a review reads it while the
    /// rules run.
    public struct GraphSummary: Sendable {
        /// Every source, configured or collected, with no findings counted yet.
        var sources: [SourceSummary]
        /// Roster people with a current account, when counted.
        var peopleWithAccess: Int?
    }

    /// Reads the ``GraphSummary``; `countingPeople` counts the people with access.
    public static func summary(configuration: Configuration, from reader: any DatabaseReader, countingPeople: Bool)
        async throws -> GraphSummary
    {
        try await reader.read { db in
            GraphSummary(
                sources: try Self.sources(db, configuration: configuration),
                peopleWithAccess: countingPeople ? try GraphStore.peopleWithAccess(db) : nil)
        }
    }

    /// The report of `outcome`, its findings as the outcome holds them and the rest read from the
    /// graph the review read; without the accounts (``access`` left empty, only counted) when
    /// `includingAccess` is false, for a page that streams them. `summary`, when given, is used
    /// instead of reading the sources again.
    public static func load(
        _ outcome: ReviewOutcome, configuration: Configuration, from reader: any DatabaseReader,
        generatedAt: Date = Date(), includingAccess: Bool = true, summary: GraphSummary? = nil
    ) async throws -> ReportModel {
        try await reader.read { db in
            // The outcome's findings are the rows the review stores (and may still be storing).
            let findings = outcome.findings
            let rules = Self.rules(outcome)
            var sources = try summary?.sources ?? Self.sources(db, configuration: configuration)
            var findingsBySource: [String: Int] = [:]
            for finding in findings {
                findingsBySource[finding.source, default: 0] += 1
            }
            for index in sources.indices {
                sources[index].findings = findingsBySource[sources[index].name] ?? 0
            }
            let access = includingAccess ? try AccessList.rows(db, findings: findings) : []
            let credentials = try Row.fetchAll(
                db,
                sql: """
                    SELECT source, coalesce(owner_email, account_id) AS owner, coalesce(owner_status, '') AS owner_status,
                           coalesce(name, credential_id) AS name, coalesce(created, '') AS created,
                           coalesce(expires, '') AS expires, revoked
                    FROM credentials ORDER BY revoked, source, owner, name LIMIT 10000
                    """
            ).map { row in
                CredentialSummary(
                    source: row["source"], owner: row["owner"], ownerStatus: row["owner_status"], name: row["name"],
                    created: row["created"], expires: row["expires"], revoked: row["revoked"])
            }
            let peopleWithAccess = includingAccess ? nil : try summary?.peopleWithAccess ?? GraphStore.peopleWithAccess(db)
            return ReportModel(
                reviewRunID: outcome.reviewRunID, asOf: outcome.asOf, generatedAt: generatedAt,
                inactiveDays: configuration.inactiveDays, staleInviteDays: configuration.staleInviteDays,
                rules: rules, sources: sources, findings: findings, warnings: outcome.diagnostics.filter { $0.kind != .staleSource }.map(\.message),
                ruleErrors: outcome.ruleErrors.map(\.description), access: access, credentials: credentials, campaign: nil,
                peopleWithAccess: peopleWithAccess)
        }
    }

    static func rules(_ outcome: ReviewOutcome) -> [RuleSummary] {
        var summaries: [RuleSummary] = []
        for run in outcome.ruleRuns {
            if let rule = outcome.rules.first(where: { $0.id == run.rule }) {
                summaries.append(
                    RuleSummary(
                        id: rule.id, severity: rule.severity, description: rule.description, status: run.status,
                        findings: run.findings))
            } else {
                summaries.append(
                    RuleSummary(
                        id: run.rule, severity: .medium, description: "The rule file could not be loaded.",
                        status: .failed, findings: 0))
            }
        }
        return summaries
    }

    static func sources(_ db: Database, configuration: Configuration) throws -> [SourceSummary] {
        var byName: [String: SourceSummary] = [:]
        var order: [String] = configuration.sources.map(\.name)
        for source in configuration.sources {
            byName[source.name] = SourceSummary(
                name: source.name, kind: source.kind, hasActivity: source.exposure.activity,
                hasAdmin: source.exposure.admin, accounts: 0, people: 0, accountsWithActivity: 0, findings: 0,
                collectedAt: nil, stale: false, error: nil)
        }
        for current in try GraphStore.currentSources(db, counting: true) {
            let name = current.source
            if byName[name] == nil { order.append(name) }
            byName[name] = SourceSummary(
                name: name, kind: current.kind ?? byName[name]?.kind, hasActivity: current.hasActivity,
                hasAdmin: current.hasAdmin, accounts: current.accounts, people: current.people,
                accountsWithActivity: current.accountsWithActivity, findings: 0, collectedAt: current.collectedAt.isEmpty ? nil : current.collectedAt,
                stale: current.stale, error: current.lastError)
        }
        return order.compactMap { byName[$0] }
    }
}
