import Crypto
import Foundation
import IDGraphResources
import Mustache

/// `idgraph campaign worksheets`: for each reviewer, a CSV to fill in and a
/// printable, self-contained HTML page of the same items.
///
/// The CSV's columns are ``columns``: the frozen values of each item, its
/// reviewer and fingerprint, then `decision` and `reason`, filled in with the
/// item's latest decision when it has one (so a worksheet written again and
/// imported again changes nothing). Every cell is formula-safe, like every
/// CSV idgraph writes.
public enum Worksheets {
    /// The CSV's header.
    public static let columns = [
        "item", "source", "account_id", "email", "name", "person_email", "person_name", "department", "roster_status",
        "role", "is_admin", "status", "last_seen", "created", "memberships", "account_type", "findings", "reviewer",
        "fingerprint", "decision", "reason",
    ]

    /// One reviewer's files.
    public struct File: Sendable, Hashable {
        /// The reviewer.
        public var reviewer: String
        /// How many items they review.
        public var items: Int
        /// How many of those are decided.
        public var decided: Int
        /// The CSV to fill in.
        public var csv: URL
        /// The printable page.
        public var html: URL
    }

    /// Writes the worksheets of campaign `name` into `folder`, one pair per reviewer.
    public static func write(
        store: GraphStore, campaign name: String, to folder: URL, templatesDirectory: URL = IDGraphResources.reportsDirectory
    ) async throws -> [File] {
        let campaign = try await store.campaign(named: name)
        let items = try await store.campaignItems(campaign.id)
        let decisions = try await store.latestDecisions(campaign.id)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError(file: folder.path, message: "The worksheet folder cannot be created (\(error.localizedDescription)). Choose another --out folder.")
        }
        let template = templatesDirectory.appendingPathComponent("worksheet.mustache")
        var library = MustacheLibrary()
        do {
            try library.register(String(contentsOf: template, encoding: .utf8), named: "worksheet")
        } catch {
            throw ReportError(file: template.path, message: "The worksheet template cannot be read (\(error)). Reinstall idgraph.")
        }
        return try writeAll(items, decisions: decisions, campaign: campaign, library: library, folder: folder, template: template)
    }

    private static func writeAll(
        _ items: [CampaignItem], decisions: [Int: GraphStore.StoredDecision], campaign: Campaign,
        library: MustacheLibrary, folder: URL, template: URL
    ) throws -> [File] {
        var byReviewer: [String: [CampaignItem]] = [:]
        var order: [String] = []
        for item in items {
            let reviewer = item.reviewer ?? ""
            if byReviewer[reviewer] == nil { order.append(reviewer) }
            byReviewer[reviewer, default: []].append(item)
        }
        var files: [File] = []
        for reviewer in order.sorted() {
            let mine = byReviewer[reviewer] ?? []
            let stem = fileStem(for: reviewer.isEmpty ? "unassigned" : reviewer)
            let csvURL = folder.appendingPathComponent(stem + ".csv")
            let htmlURL = folder.appendingPathComponent(stem + ".html")
            let csv = try CSVFile(url: csvURL, header: columns)
            for item in mine {
                let decision = decisions[item.item]
                try csv.write(
                    item.frozenValues.map(\.value) + [reviewer, item.fingerprint, decision?.decision.rawValue ?? "", decision?.reason ?? ""])
            }
            try csv.close()
            let page = Page(
                campaign: campaign.name, reviewer: reviewer, itemCount: mine.count, due: campaign.due ?? "",
                hasDue: campaign.due != nil, startedAt: campaign.startedAt,
                rows: mine.map { item in
                    let decision = decisions[item.item]
                    return Row(
                        item: item.item, personName: item.personName ?? item.personEmail ?? "(no roster person)",
                        personEmail: item.personEmail ?? item.email ?? "", department: item.department ?? "",
                        rosterStatus: item.rosterStatus ?? "not in roster", source: item.source, accountID: item.accountID,
                        name: item.name ?? "", email: item.email ?? "", role: item.role ?? "", isAdmin: item.isAdmin,
                        status: item.status, lastSeen: item.lastSeen ?? "",
                        lastSeenDay: String((item.lastSeen ?? "").prefix(10)), memberships: item.memberships,
                        findings: item.findings.map { "\($0.rule) (\($0.severity)): \($0.detail)" },
                        decision: decision?.decision.rawValue ?? "", reason: decision?.reason ?? "")
                })
            guard let rendered = library.render(page, withTemplate: "worksheet") else {
                throw ReportError(file: template.path, message: "The worksheet template did not render. Reinstall idgraph.")
            }
            do {
                try Data(TerminalText.showingBidiControls(inHTML: rendered).utf8).write(to: htmlURL)
            } catch {
                throw ReportError(file: htmlURL.path, message: "The worksheet cannot be written (\(error.localizedDescription)). Check that the --out folder is writable and the disk is not full.")
            }
            files.append(File(
                reviewer: reviewer, items: mine.count, decided: mine.filter { decisions[$0.item] != nil }.count,
                csv: csvURL, html: htmlURL))
        }
        return files
    }

    /// A file name for `reviewer` that is safe on every file system, whatever
    /// the email holds: letters, digits, `.`, `_` and `-` kept (at most 60),
    /// everything else `_`, then 8 hex digits of the email's SHA-256 so two
    /// emails never share a file.
    public static func fileStem(for reviewer: String) -> String {
        var safe = ""
        for scalar in reviewer.lowercased().unicodeScalars.prefix(60) {
            let keep = (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar))) || scalar == "." || scalar == "_"
                || scalar == "-" || scalar == "@"
            // No "..": the name stays one plain file name on every system.
            safe.append(keep && !(scalar == "." && safe.hasSuffix(".")) ? Character(scalar) : "_")
        }
        while safe.hasPrefix(".") { safe.removeFirst() }
        let hash = Digest.hex(SHA256.hash(data: Data(reviewer.utf8)).prefix(4))
        return "worksheet-\(safe)-\(hash)"
    }

    /// The page as the template reads it: non-optional values only, so a
    /// missing one never shows an enclosing value.
    struct Page {
        var campaign: String
        var reviewer: String
        var itemCount: Int
        var due: String
        var hasDue: Bool
        var startedAt: String
        var rows: [Row]
    }

    struct Row {
        var item: Int
        var personName: String
        var personEmail: String
        var department: String
        var rosterStatus: String
        var source: String
        var accountID: String
        var name: String
        var email: String
        var role: String
        var isAdmin: Bool
        var status: String
        var lastSeen: String
        var lastSeenDay: String
        var memberships: [String]
        var findings: [String]
        var decision: String
        var reason: String
    }
}
