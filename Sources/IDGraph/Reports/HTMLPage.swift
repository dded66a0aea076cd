import Foundation

/// The access-review page as the Mustache template reads it.
///
/// Every field is a non-optional `String`, `Bool`, number or array: Mustache
/// looks a missing or `nil` name up in the enclosing objects, so an account
/// with no email would otherwise show its reviewer's. Text from sources and the
/// roster is left raw here; the template escapes it with `{{…}}`.
struct HTMLPage {
    var asOf: String
    var asOfDay: String
    var generatedAt: String
    var inactiveDays: Int
    var staleInviteDays: Int
    var reviewRunID: Int64
    var css: String
    var script: String
    var totalFindings: Int
    var totalAccounts: Int
    var totalPeople: Int
    var staleSources: [SourceView]
    var hasStaleSources: Bool
    var warnings: [String]
    var hasWarnings: Bool
    var ruleErrors: [String]
    var hasRuleErrors: Bool
    var rules: [RuleView]
    var sources: [SourceView]
    var findings: [FindingView]
    var hasFindings: Bool
    var ruleOptions: [String]
    var sourceOptions: [String]
    var reviewers: [ReviewerView]
    var hasReviewers: Bool
    /// A large report: findings and access are JSON that the script renders.
    var compact: Bool
    /// The API tokens section, when a source listed tokens.
    var hasCredentials: Bool
    var credentials: [CredentialView]
    var liveCredentials: Int

    struct CredentialView {
        var source: String
        var owner: String
        var ownerStatus: String
        var name: String
        var created: String
        var expires: String
        var revoked: Bool
    }

    /// The campaign section, when a campaign is named.
    var hasCampaign: Bool
    var campaign: CampaignView
    var hasRemovals: Bool

    struct CampaignView {
        var name: String
        var status: String
        var due: String
        var hasDue: Bool
        var assigned: Int
        var decided: Int
        var percent: Int
        var reviewers: [CampaignReviewerView]
        var removals: [RemovalView]
    }

    struct CampaignReviewerView {
        var reviewer: String
        var assigned: Int
        var decided: Int
        var left: Int
        var overdue: Bool
        var done: Bool
    }

    struct RemovalView {
        var item: Int
        var source: String
        var accountID: String
        var person: String
        var decision: String
        var reason: String
        var reviewer: String
        var decidedAt: String
    }

    struct RuleView {
        var id: String
        var severity: String
        var severityRank: Int
        var description: String
        var findings: Int
        var status: String
        var isOK: Bool
    }

    struct SourceView {
        var name: String
        var system: String
        var accounts: Int
        var people: Int
        var accountsWithActivity: Int
        var isRoster: Bool
        var findings: Int
        var hasActivity: Bool
        var hasAdmin: Bool
        var collectedAt: String
        var hasData: Bool
        var stale: Bool
        var error: String
    }

    struct FindingView {
        var rule: String
        var severity: String
        var severityRank: Int
        var source: String
        var stale: Bool
        var accountID: String
        var email: String
        var name: String
        var detail: String
    }

    struct ReviewerView {
        var anchor: String
        var title: String
        var reviewerEmail: String
        var hasReviewerEmail: Bool
        var note: String
        var accountCount: Int
        var peopleCount: Int
        var findingCount: Int
        var rows: [AccessRowView]
    }

    struct AccessRowView {
        var person: String
        var personEmail: String
        var department: String
        var hasDepartment: Bool
        var rosterStatus: String
        var rosterStatusClass: String
        var source: String
        var accountID: String
        var email: String
        var name: String
        var role: String
        var isAdmin: Bool
        var status: String
        var lastSeen: String
        var lastSeenDay: String
        var created: String
        var createdDay: String
        var containers: [String]
        var containerCount: Int
        var hasContainers: Bool
        var stale: Bool
        var findings: [FindingTag]
        var hasFindings: Bool
        var ruleList: String
    }

    struct FindingTag {
        var rule: String
        var severity: String
        var detail: String
    }
}

extension HTMLPage {
    /// Builds the page from the report model, with the CSS and JS to inline;
    /// without the reviewer sections when they are to be rendered one by one.
    init(_ model: ReportModel, css: String, script: String, withReviewers: Bool = true, compact: Bool = false) {
        self.compact = compact
        credentials = model.credentials.map {
            CredentialView(
                source: $0.source, owner: $0.owner, ownerStatus: $0.ownerStatus, name: $0.name, created: $0.created,
                expires: $0.expires.isEmpty ? "never" : $0.expires, revoked: $0.revoked)
        }
        hasCredentials = !credentials.isEmpty
        liveCredentials = model.credentials.filter { !$0.revoked }.count
        hasCampaign = model.campaign != nil
        campaign = Self.campaignView(model.campaign)
        hasRemovals = !campaign.removals.isEmpty
        asOf = Timestamp.string(from: model.asOf)
        asOfDay = Timestamp.day(from: model.asOf)
        generatedAt = Timestamp.string(from: model.generatedAt)
        inactiveDays = model.inactiveDays
        staleInviteDays = model.staleInviteDays
        reviewRunID = model.reviewRunID
        self.css = css
        self.script = script
        totalFindings = model.findings.count
        sources = model.sources.map { s in
            SourceView(
                name: s.name, system: s.kind?.displayName ?? "unknown", accounts: s.accounts, people: s.people,
                accountsWithActivity: s.accountsWithActivity,
                isRoster: s.kind?.isRoster == true, findings: s.findings,
                hasActivity: s.hasActivity, hasAdmin: s.hasAdmin, collectedAt: s.collectedAt ?? "", hasData: s.collectedAt != nil,
                stale: s.stale, error: s.error ?? "")
        }
        totalAccounts = model.sources.reduce(0) { $0 + $1.accounts }
        staleSources = sources.filter(\.stale)
        hasStaleSources = !staleSources.isEmpty
        warnings = model.warnings
        hasWarnings = !warnings.isEmpty
        ruleErrors = model.ruleErrors
        hasRuleErrors = !ruleErrors.isEmpty
        rules = model.rules.map { r in
            RuleView(
                id: r.id, severity: r.severity.rawValue, severityRank: r.severity.rank, description: r.description,
                findings: r.findings, status: r.status.rawValue, isOK: r.status == .ok)
        }
        // Most urgent first; the CSV keeps the rules' own order. A compact page
        // lists them from its data instead.
        let ordered = (compact ? [] : model.findings).enumerated().sorted { l, r in
            (l.element.severity.rank, r.offset) > (r.element.severity.rank, l.offset)
        }.map(\.element)
        let staleNames = Set(model.sources.filter(\.stale).map(\.name))
        findings = ordered.map { f in
            FindingView(
                rule: f.rule, severity: f.severity.rawValue, severityRank: f.severity.rank, source: f.source,
                stale: staleNames.contains(f.source), accountID: f.accountID, email: f.email ?? "", name: f.name ?? "", detail: f.detail)
        }
        hasFindings = !model.findings.isEmpty
        ruleOptions = Array(Set(model.rules.map(\.id)).union(model.findings.lazy.map(\.rule))).sorted()
        sourceOptions = model.sources.map(\.name)
        totalPeople = model.peopleWithAccess ?? Set(model.access.lazy.compactMap(\.personEmail)).count
        reviewers = withReviewers ? Self.reviewerViews(model).map { $0() } : []
        hasReviewers = compact ? totalAccounts > 0 : !model.access.isEmpty
    }

    private static func campaignView(_ report: CampaignProgress.Report?) -> CampaignView {
        guard let report else {
            return CampaignView(
                name: "", status: "", due: "", hasDue: false, assigned: 0, decided: 0, percent: 0, reviewers: [], removals: [])
        }
        return CampaignView(
            name: report.campaign.name, status: report.campaign.status, due: report.campaign.due ?? "",
            hasDue: report.campaign.due != nil, assigned: report.assigned, decided: report.decided,
            percent: report.assigned == 0 ? 100 : report.decided * 100 / report.assigned,
            reviewers: report.lines.map {
                CampaignReviewerView(
                    reviewer: $0.reviewer.isEmpty ? "(nobody)" : $0.reviewer, assigned: $0.assigned, decided: $0.decided,
                    left: $0.left, overdue: $0.overdue, done: $0.left == 0)
            },
            removals: report.removals.map { removal in
                RemovalView(
                    item: removal.item.item, source: removal.item.source, accountID: removal.item.accountID,
                    person: removal.item.personEmail ?? removal.item.email ?? "(no email)",
                    decision: removal.decision.decision.rawValue, reason: removal.decision.reason ?? "",
                    reviewer: removal.decision.reviewer, decidedAt: removal.decision.decidedAt)
            })
    }

    /// The reviewer sections of the access list, each built only when
    /// called, so a large report can be written one section at a time: the
    /// rows of one reviewer (a manager, or none) are consecutive in list
    /// order, and the accounts that join no roster person come last.
    static func reviewerViews(_ model: ReportModel) -> [() -> ReviewerView] {
        var views: [() -> ReviewerView] = []
        let rows = model.access
        var start = rows.startIndex
        while start < rows.endIndex {
            let first = rows[start]
            let joined = first.personEmail != nil
            var end = start + 1
            while end < rows.endIndex, rows[end].personEmail != nil, joined,
                rows[end].managerEmail == first.managerEmail
            {
                end += 1
            }
            if !joined {
                end = rows.endIndex
            }
            let group = rows[start..<end]
            let number = views.count + 1
            views.append {
                if !joined {
                    reviewer(
                        anchor: "reviewer-unmatched", title: "Accounts that match no roster person", email: "",
                        note: "No roster person has these emails: each account needs an owner or removal. Accounts of one email in several sources are listed together.",
                        rows: group)
                } else if let email = first.managerEmail {
                    reviewer(
                        anchor: "reviewer-\(number)", title: first.managerName ?? email, email: email,
                        note: "Manager in the roster: signs off the access of the people below.", rows: group)
                } else {
                    reviewer(
                        anchor: "reviewer-\(number)", title: "People with no manager in the roster", email: "",
                        note: "Assign a reviewer for these people.", rows: group)
                }
            }
            start = end
        }
        return views
    }

    private static func reviewer(anchor: String, title: String, email: String, note: String, rows access: ArraySlice<AccessRow>)
        -> ReviewerView
    {
        var rows: [AccessRowView] = []
        var people = 0
        var previous: String?
        for a in access {
            // Rows of one person (or one unmatched email) are consecutive; an account with no email is a person of its own.
            let person = a.personEmail ?? a.canonicalEmail
            if person == nil || person != previous { people += 1 }
            previous = person
            let status = a.rosterStatus ?? "not in roster"
            rows.append(AccessRowView(
                person: a.personName ?? person ?? "(no email)", personEmail: person ?? "",
                department: a.department ?? "", hasDepartment: !(a.department ?? "").isEmpty,
                rosterStatus: status,
                rosterStatusClass: status == "active" ? "ok" : "bad",
                source: a.source, accountID: a.accountID, email: a.email ?? "", name: a.name ?? "",
                role: a.role ?? "", isAdmin: a.isAdmin, status: a.status, lastSeen: a.lastSeen ?? "",
                lastSeenDay: String((a.lastSeen ?? "").prefix(10)), created: a.created ?? "",
                createdDay: String((a.created ?? "").prefix(10)), containers: a.memberships, containerCount: a.memberships.count,
                hasContainers: !a.memberships.isEmpty,
                stale: a.stale,
                findings: a.findings.map { FindingTag(rule: $0.rule, severity: $0.severity.rawValue, detail: $0.detail) },
                hasFindings: !a.findings.isEmpty, ruleList: a.findings.map(\.rule).joined(separator: " ")))
        }
        return ReviewerView(
            anchor: anchor, title: title, reviewerEmail: email, hasReviewerEmail: !email.isEmpty, note: note,
            accountCount: rows.count, peopleCount: people,
            findingCount: rows.reduce(0) { $0 + $1.findings.count }, rows: rows)
    }
}
