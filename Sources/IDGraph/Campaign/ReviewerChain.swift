import Foundation

/// Who reviews an account: the person's manager (roster `manager_email`);
/// else the source's `reviewer` (the application owner); else the
/// configuration's `fallback_reviewer`s in order.
///
/// Independence is checked, not assumed: a candidate is passed over when they
/// are the account's own person, are missing from the roster or not active in
/// it, or are an admin of the same source while the account is an admin. The
/// reason for the choice, naming everyone passed over and why, is kept on the
/// item.
struct ReviewerChain: Sendable {
    /// Roster people by canonical email, with their status.
    let roster: [String: String]
    /// Per source, the canonical emails of its admin accounts.
    let admins: [String: Set<String>]
    let configuration: Configuration

    init(roster: [String: String], rows: [AccessRow], configuration: Configuration) {
        self.roster = roster
        var admins: [String: Set<String>] = [:]
        for row in rows where row.isAdmin {
            if let email = row.personEmail ?? row.canonicalEmail { admins[row.source, default: []].insert(email) }
        }
        self.admins = admins
        self.configuration = configuration
    }

    /// The reviewer of `row` and why; `nil` with the reasons when nobody in the chain can review it.
    func reviewer(of row: AccessRow) -> (reviewer: String?, reason: String) {
        var candidates: [(email: String, role: String)] = []
        if row.personEmail != nil, let manager = row.managerEmail { candidates.append((manager, "manager")) }
        if let owner = configuration.source(named: row.source)?.reviewer {
            candidates.append((owner, "application owner of \(row.source)"))
        }
        for fallback in configuration.fallbackReviewers { candidates.append((fallback, "fallback reviewer")) }
        var passedOver: [String] = []
        for candidate in candidates {
            let email = configuration.canonicalizer.canonicalEmail(candidate.email) ?? candidate.email
            if let problem = problem(with: email, reviewing: row) {
                passedOver.append("\(candidate.role) \(email) \(problem)")
                continue
            }
            let reason = ([candidate.role] + passedOver.map { "passed over: \($0)" }).joined(separator: "; ")
            return (email, reason)
        }
        if candidates.isEmpty {
            return (nil, "no manager in the roster, no 'reviewer' for \(row.source) and no 'fallback_reviewer'")
        }
        return (nil, "nobody can review it: " + passedOver.joined(separator: "; "))
    }

    /// Why `email` cannot review `row`, or `nil` when they can.
    private func problem(with email: String, reviewing row: AccessRow) -> String? {
        if email == row.personEmail || email == row.canonicalEmail { return "is the account's own person" }
        guard let status = roster[email] else { return "is not in the roster" }
        if status != "active" { return "is \(status) in the roster" }
        if row.isAdmin, admins[row.source]?.contains(email) == true {
            return "is an admin of \(row.source) and the account is an admin"
        }
        return nil
    }
}
