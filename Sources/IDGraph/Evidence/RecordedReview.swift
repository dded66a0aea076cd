import Foundation
import GRDB

/// A review run as the graph recorded it: when it ran, as of when, the rules'
/// SQL as it was read, the parameters, and the source run it read of each
/// source. What `idgraph evidence` packs and `evidence verify` re-runs.
@dynamicMemberLookup
struct RecordedReview: Sendable {
    /// One rule as it ran.
    typealias RecordedRule = GraphStore.ReviewRuleRecord

    /// The `review_run` row: `id`, `snapshotID`, `asOf`, `startedAt`, `finishedAt`, `status`, read
    /// as members of the review.
    var run: GraphStore.ReviewRunRecord
    /// The warnings, in order.
    var warnings: [String]
    /// `review_runs.parameters`, as stored.
    var parametersJSON: String
    var facts: ReviewFacts
    var rules: [RecordedRule]
    /// The source run read of each source, by source.
    var inputs: [String: Int64]

    /// Reads review run `id` from `db`; `shown` names the database in errors.
    static func read(_ db: Database, id: Int64, shownAs shown: String) throws -> RecordedReview {
        guard let row = try GraphStore.reviewRun(db, id: id) else {
            throw EvidenceError(shown, "There is no review run \(id). 'idgraph query --db DB \"SELECT id, as_of, status FROM review_runs\"' lists them.", exitStatus: .usage)
        }
        let status = row.status
        guard status == "ok" else {
            throw EvidenceError(shown, "Review run \(id) is recorded '\(status)', not ok: its reports were never completed. Make the pack of a review that finished (leave out --review-run for the latest).", exitStatus: .usage)
        }
        guard let json = row.parameters, let facts = ReviewFacts.parse(json: json) else {
            throw EvidenceError(shown, "Review run \(id) was made by an idgraph that did not record its rules and parameters, so an auditor could not re-run it. Run 'idgraph review' again and make the pack of that review.", exitStatus: .usage)
        }
        var inputs: [String: Int64] = [:]
        for input in try GraphStore.reviewInputs(db, id: id) {
            inputs[input.source] = input.run
        }
        return RecordedReview(
            run: row,
            warnings: (row.warnings ?? "").split(separator: "\n").map(String.init), parametersJSON: json, facts: facts,
            rules: try GraphStore.reviewRules(db, id: id), inputs: inputs)
    }

    subscript<Value>(dynamicMember member: KeyPath<GraphStore.ReviewRunRecord, Value>) -> Value { run[keyPath: member] }

    /// The file name a rule has in the pack's `rules/` folder: its own, made unique and safe.
    static func packFileNames(_ rules: [RecordedRule]) -> [String] {
        var used: Set<String> = []
        return rules.map { rule in
            var base = String(rule.file.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
            if base.isEmpty || base.hasPrefix(".") { base = rule.rule + ".sql" }
            var name = base
            var number = 2
            while !used.insert(name).inserted {
                name = "\(number)-\(base)"
                number += 1
            }
            return name
        }
    }

    /// The review's outcome as the report pages need it, its findings read from `db`.
    func outcome(_ db: Database) throws -> ReviewOutcome {
        let asOfDate = Timestamp.parse(run.asOf) ?? Date(timeIntervalSince1970: 0)
        var parsed: [Rule] = []
        var runs: [RuleRun] = []
        let counts = try GraphStore.findingCounts(db, reviewRunID: run.id)
        for rule in rules {
            if let value = try? Rule.parse(rule.sql, file: URL(fileURLWithPath: rule.file)) { parsed.append(value) }
            runs.append(
                RuleRun(
                    rule: rule.rule, status: RuleRun.Status(rawValue: rule.status) ?? .failed,
                    findings: counts[rule.rule] ?? 0, seconds: 0))
        }
        // The stale sources are those the review read as stale (`review_input`), each warned of by name.
        let staleSources = try GraphStore.reviewInputs(db, id: run.id).filter(\.stale).map(\.source)
        let diagnostics = warnings.map { message in
            let source = staleSources.first { message.hasPrefix("Source '\($0)' is stale:") }
            return ReviewWarning(kind: source == nil ? .recorded : .staleSource, subject: source ?? "", message: message)
        }
        return ReviewOutcome(
            reviewRunID: run.id, asOf: asOfDate, rules: parsed, findings: try GraphStore.findings(db, reviewRunID: run.id),
            diagnostics: diagnostics, ruleErrors: [], ruleRuns: runs)
    }
}
