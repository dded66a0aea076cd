import Foundation

extension Remediation {
    /// The plan's columns (`remediation-plan.csv`).
    public static let planColumns = [
        "item", "source", "kind", "account_id", "email", "person_email", "action", "origin", "reason", "decided_by",
        "decided_at", "due", "steps", "caveat", "ticket",
    ]

    /// Writes the plan into `folder`: `remediation-plan.csv` (or `.json`) and
    /// `jira-import.csv` (one issue per entry, for Jira's CSV import); returns the files.
    public static func writePlan(_ entries: [Entry], campaign: Campaign, json: Bool, to folder: URL) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError(file: folder.path, message: "The plan folder cannot be created (\(error.localizedDescription)). Choose another --out folder.")
        }
        var files: [URL] = []
        if json {
            let url = folder.appendingPathComponent("remediation-plan.json")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let plan = entries.map { entry in
                PlanRecord(
                    campaign: campaign.name, item: entry.item.item, source: entry.item.source, kind: entry.kind,
                    accountID: entry.item.accountID, email: entry.item.email, personEmail: entry.item.personEmail,
                    action: entry.action.rawValue, origin: entry.origin, reason: entry.decision?.reason,
                    decidedBy: entry.decision?.reviewer, decidedAt: entry.decision?.decidedAt, due: entry.due,
                    steps: entry.removal.steps, caveat: entry.removal.caveat, ticket: "")
            }
            do {
                try encoder.encode(plan).write(to: url)
            } catch {
                throw ReportError(file: url.path, message: "The plan cannot be written (\(error.localizedDescription)). Check the --out folder and the disk.")
            }
            files.append(url)
        } else {
            let url = folder.appendingPathComponent("remediation-plan.csv")
            let csv = try CSVFile(url: url, header: planColumns)
            for entry in entries {
                try csv.write([
                    String(entry.item.item), entry.item.source, entry.kind, entry.item.accountID, entry.item.email,
                    entry.item.personEmail, entry.action.rawValue, entry.origin, entry.decision?.reason,
                    entry.decision?.reviewer, entry.decision?.decidedAt, entry.due, stepsText(entry.removal),
                    entry.removal.caveat, "",
                ])
            }
            try csv.close()
            files.append(url)
        }
        let jira = folder.appendingPathComponent("jira-import.csv")
        let csv = try CSVFile(url: jira, header: ["Summary", "Description", "Issue Type", "Priority", "Due Date", "Labels"])
        let label = "idgraph-" + String(campaign.name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        for entry in entries {
            let who = entry.item.personEmail ?? entry.item.email ?? entry.item.accountID
            let verb = entry.action == .revoke ? "Remove" : "Change"
            let description = [
                "\(verb) the \(entry.item.source) access of \(who) (account \(entry.item.accountID)), campaign \(campaign.name) item \(entry.item.item).",
                entry.decision.map { "Decided \($0.decision.rawValue) by \($0.reviewer) on \($0.decidedAt): \($0.reason ?? "")" }
                    ?? "Planned from the finding \(entry.origin.replacingOccurrences(of: "finding:", with: "")).",
                "Steps:\n" + stepsText(entry.removal),
                "Note: \(entry.removal.caveat)",
                "Done when 'idgraph remediation verify --campaign \(campaign.name)' shows it fixed after the next collect.",
            ].joined(separator: "\n\n")
            try csv.write([
                "\(verb) \(entry.item.source) access of \(who)", description, "Task",
                entry.item.isAdmin ? "High" : "Medium", entry.due, label,
            ])
        }
        try csv.close()
        files.append(jira)
        return files
    }

    /// The steps as numbered lines.
    static func stepsText(_ removal: Removal) -> String {
        removal.steps.enumerated().map { "\($0.offset + 1). \($0.element.line)" }.joined(separator: "\n")
    }

    struct PlanRecord: Encodable {
        var campaign: String
        var item: Int
        var source: String
        var kind: String
        var accountID: String
        var email: String?
        var personEmail: String?
        var action: String
        var origin: String
        var reason: String?
        var decidedBy: String?
        var decidedAt: String?
        var due: String
        var steps: [RemovalStep]
        var caveat: String
        var ticket: String

        enum CodingKeys: String, CodingKey {
            case campaign, item, source, kind, action, origin, reason, due, steps, caveat, ticket, email
            case accountID = "account_id", personEmail = "person_email", decidedBy = "decided_by", decidedAt = "decided_at"
        }
    }
}
