import CSV
import Foundation

/// `idgraph campaign import`: reads filled-in worksheets, checks every row
/// and stores the decisions, only ever adding to what is stored.
///
/// A file is taken whole or not at all: one bad row refuses the file, with
/// every problem found named by file and line. Refused: a row whose item the
/// campaign does not have, an item listed twice, a frozen value or
/// fingerprint that differs from the campaign's, a row of an item that
/// another reviewer now holds, an unknown decision, a missing reason (revoke
/// and modify, and keep on an admin or flagged account), a reason with no
/// decision, and every file once the campaign is closed. A row with no
/// decision is left open. A decision equal to the item's latest is not
/// stored again, so importing the same file twice changes nothing.
public enum DecisionImport {
    /// What became of one file.
    public struct FileResult: Sendable {
        /// The file as given.
        public var file: String
        /// Its SHA-256.
        public var sha256: String
        /// Decisions stored.
        public var added: Int
        /// Decisions equal to the stored ones, not stored again.
        public var unchanged: Int
        /// Rows left without a decision.
        public var open: Int
        /// Why the file was refused; empty when it was taken.
        public var problems: [String]
    }

    /// The largest worksheet read: far above any real one.
    static let maximumBytes = 256 << 20

    /// Imports `files` into campaign `name`; each file is checked and stored on its own.
    public static func run(store: GraphStore, campaign name: String, files: [String], now: Date = Date()) async throws
        -> [FileResult]
    {
        let campaign = try await store.campaign(named: name)
        guard campaign.isOpen else {
            throw CampaignError("Campaign '\(campaign.name)' was closed on \(campaign.closedAt ?? "?"): decisions can no longer be imported. Nothing was stored.")
        }
        let items = Dictionary(uniqueKeysWithValues: try await store.campaignItems(campaign.id).map { ($0.item, $0) })
        var results: [FileResult] = []
        for file in files {
            var result = FileResult(file: file, sha256: "", added: 0, unchanged: 0, open: 0, problems: [])
            do {
                let data = try read(file)
                result.sha256 = Digest.sha256(data)
                let (decisions, open) = try check(data, file: file, sha256: result.sha256, items: items)
                result.open = open
                let added = try await store.addDecisions(decisions, campaign: campaign.id, event: file, at: now)
                result.added = added
                result.unchanged = decisions.count - added
            } catch let refusal as Refusal {
                result.problems = refusal.problems
            }
            results.append(result)
        }
        return results
    }

    /// The problems that refuse a file.
    struct Refusal: Error {
        var problems: [String]
    }

    private static func read(_ file: String) throws -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
            throw Refusal(problems: ["\(file): there is no such file. Check the path."])
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard size <= maximumBytes else {
            throw Refusal(problems: ["\(file): the file is \(size) bytes, more than any worksheet. Check that it is the worksheet CSV."])
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Refusal(problems: ["\(file): the file cannot be read. Check its permissions."])
        }
        return data
    }

    /// The decisions of a worksheet's `data`, and how many rows it left open; a ``Refusal`` naming every problem.
    static func check(_ data: Data, file: String, sha256: String, items: [Int: CampaignItem]) throws
        -> (decisions: [GraphStore.NewDecision], open: Int)
    {
        guard var text = String(data: data, encoding: .utf8) else {
            throw Refusal(problems: ["\(file): the file is not UTF-8 text. Save the worksheet as CSV UTF-8."])
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard !text.unicodeScalars.contains("\u{0}") else {
            throw Refusal(problems: ["\(file): the file contains a NUL byte. Save the worksheet as CSV UTF-8."])
        }
        var quotes = QuoteBalance()
        quotes.scan(text.utf8)
        if let line = quotes.unclosedAt {
            throw Refusal(problems: ["\(file):\(line): a quoted field opened on this line is never closed. Check for an unbalanced '\"'."])
        }
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false), let header = reader.next() else {
            throw Refusal(problems: ["\(file): the file is empty or not CSV. Import the worksheet CSV idgraph wrote."])
        }
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            let name = name.trimmingCharacters(in: .whitespaces).lowercased()
            if column[name] == nil { column[name] = index }
        }
        let missing = Worksheets.columns.filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw Refusal(problems: ["\(file):1: the header has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")). Import the worksheet CSV idgraph wrote, with its header row."])
        }
        var problems: [String] = []
        var decisions: [GraphStore.NewDecision] = []
        var seen: [Int: Int] = [:]
        var open = 0
        var line = 1 + header.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
        while let row = reader.next() {
            line += 1
            let rowLine = line
            line += row.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func cell(_ name: String) -> String {
                guard let index = column[name], index < row.count else { return "" }
                return row[index]
            }
            let here = "\(file):\(rowLine)"
            guard let number = Int(cell("item").trimmingCharacters(in: .whitespaces)), let item = items[number] else {
                problems.append("\(here): item '\(TerminalText.escaped(cell("item")))' is not an item of this campaign. Keep the rows as the worksheet lists them.")
                continue
            }
            if let first = seen[number] {
                problems.append("\(here): item \(number) is listed twice (first on line \(first)). Keep one row per item.")
                continue
            }
            seen[number] = rowLine
            let edited = item.frozenValues.filter { frozen in
                let given = cell(frozen.column)
                return given != frozen.value && given != formulaSafe(frozen.value)
            }
            if let first = edited.first {
                let columns = edited.map { "'\($0.column)'" }.joined(separator: ", ")
                problems.append("\(here): item \(number) was changed in \(columns) (the campaign froze '\(TerminalText.escaped(first.value))', the file has '\(TerminalText.escaped(cell(first.column)))'). Only 'decision' and 'reason' may be filled in: take the row from the worksheet again.")
                continue
            }
            if cell("fingerprint").trimmingCharacters(in: .whitespaces) != item.fingerprint {
                problems.append("\(here): item \(number)'s fingerprint does not match the campaign's. Take the row from this campaign's worksheet again.")
                continue
            }
            let reviewer = cell("reviewer").trimmingCharacters(in: .whitespaces).lowercased()
            guard reviewer == item.reviewer else {
                let holder = item.reviewer.map { "is reviewed by \($0)" } ?? "has no reviewer"
                problems.append("\(here): item \(number) \(holder), not '\(TerminalText.escaped(reviewer))'. Import that reviewer's own worksheet.")
                continue
            }
            let reason = cell("reason").trimmingCharacters(in: .whitespacesAndNewlines)
            let given = cell("decision").trimmingCharacters(in: .whitespaces)
            guard !given.isEmpty else {
                if !reason.isEmpty {
                    problems.append("\(here): item \(number) has a reason but no decision. Fill in 'decision' (keep, revoke, modify or dont-know) or clear the reason.")
                } else {
                    open += 1
                }
                continue
            }
            guard let decision = parse(given) else {
                problems.append("\(here): '\(TerminalText.escaped(given))' is not a decision. Write keep, revoke, modify or dont-know.")
                continue
            }
            if reason.isEmpty, decision.needsReason || (decision == .keep && item.needsReasonToKeep) {
                let why = decision.needsReason ? "a \(decision.rawValue)" : (item.isAdmin ? "keeping an admin account" : "keeping an account with findings")
                problems.append("\(here): item \(number) needs a reason for \(why). Fill in 'reason'.")
                continue
            }
            decisions.append(GraphStore.NewDecision(
                item: number, decision: decision, reason: reason.isEmpty ? nil : reason, reviewer: reviewer, file: file,
                fileSHA256: sha256, line: rowLine))
        }
        if !problems.isEmpty { throw Refusal(problems: problems) }
        return (decisions, open)
    }

    /// A decision as a reviewer may write it: any case, `don't know` and `dont know` too.
    static func parse(_ text: String) -> CampaignDecision? {
        let normal = text.lowercased().replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "’", with: "")
            .replacingOccurrences(of: " ", with: "-")
        return CampaignDecision(rawValue: normal)
    }
}
