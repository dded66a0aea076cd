import Foundation

/// A finding a correct `idgraph review` must produce for this company (README, "Rules").
public struct ExpectedFinding: Sendable, Hashable {
    /// Rule id: `inactive`, `orphaned`, `over-privileged`, `stale-invite`, `deactivated-with-access`, `non-human-access` or `token-of-inactive-user`.
    public var rule: String
    /// `low`, `medium` or `high`.
    public var severity: String
    /// The system the account is in.
    public var system: SimulatedSystem
    /// The account id as served.
    public var accountID: String
}

extension Company {
    /// The findings the rules give on this company at its `asOf` day, computed from the served records.
    ///
    /// This re-states the rules in Swift so the demo and end-to-end tests have an independent answer to compare with.
    public func expectedFindings() -> [ExpectedFinding] {
        let activeRoster = Set(roster.filter { $0.status == "active" }.map { canonical($0.email) })
        let inactiveCutoff = asOf.addingTimeInterval(-Double(inactiveDays) * 86_400)
        let inviteCutoff = asOf.addingTimeInterval(-Double(staleInviteDays) * 86_400)
        var findings: [ExpectedFinding] = []
        for system in SimulatedSystem.allCases {
            let served = records(system)
            let approved = Set(approvedAdmins[system] ?? [])
            // A team is the tenant (an organization), not access on top of the account.
            let organizations = Set(served.containers.filter { $0.type == "organization" }.map(\.id))
            let withMemberships = Set(served.memberships.filter { !organizations.contains($0.containerID) }.map(\.accountID))
            for account in served.listedAccounts {
                func add(_ rule: String, _ severity: String) {
                    findings.append(ExpectedFinding(rule: rule, severity: severity, system: system, accountID: account.id))
                }
                let status = account.expectedStatus
                // With neither an activity nor a creation date, nothing shows the account is in use.
                if status == .active, system.exposesActivity,
                   (account.lastSeen.date ?? account.created.date).map({ $0 < inactiveCutoff }) ?? true {
                    add("inactive", account.isAdmin ? "high" : "medium")
                }
                if status != .inactive, account.accountType == .human,
                   account.canonicalEmail.map({ !activeRoster.contains($0) }) ?? true {
                    add("orphaned", "high")
                }
                if status == .active, account.isAdmin, !approved.contains(account.canonicalEmail ?? "") {
                    add("over-privileged", "high")
                }
                if status == .invited, let created = account.created.date, created < inviteCutoff {
                    add("stale-invite", "low")
                }
                if status == .inactive, withMemberships.contains(account.id) {
                    add("deactivated-with-access", "medium")
                }
                if status == .active, account.accountType != .human {
                    add("non-human-access", "low")
                }
            }
        }
        // ProcessMaker tokens (collect_tokens: true in the generated config).
        for token in records(.processMaker).credentials where token.flagged {
            findings.append(ExpectedFinding(rule: "token-of-inactive-user", severity: "high", system: .processMaker, accountID: token.userID))
        }
        return findings
    }

    /// The canonical form of an email (README, "Identity resolution").
    func canonical(_ email: String) -> String {
        var text = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().precomposedStringWithCanonicalMapping
        if text.hasSuffix("@" + aliasDomain) {
            text = String(text.dropLast(aliasDomain.count)) + domain
        }
        return text
    }
}
