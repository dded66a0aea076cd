import Foundation
import GRDB

/// Runs every rule on the current graph and stores the findings as one review run.
///
/// All of it happens in one write transaction on one connection: the
/// configuration facts go into TEMP tables (see ``ReviewFacts``), each rule
/// runs with `:as_of`, `:inactive_days` and `:stale_invite_days` bound, and the
/// `review_run` row and its `finding` rows are written. A rule that fails is
/// reported with its file and SQLite's message; the others still run.
public struct Reviewer: Sendable {
    /// The graph.
    public var store: GraphStore
    /// Thresholds, sources, approved admins, the user's rules folder.
    public var configuration: Configuration
    /// Where the rules come from.
    public var loader: RuleLoader

    /// Creates a reviewer; rules come from the built-in folder and `rules_dir`.
    public init(store: GraphStore, configuration: Configuration, loader: RuleLoader? = nil) {
        self.store = store
        self.configuration = configuration
        self.loader = loader ?? RuleLoader(userDirectory: configuration.rulesDirectory)
    }

    /// The columns every rule must return.
    public static let requiredColumns = ["source", "account_id", "email", "name", "detail"]

    /// Runs the rules as of `asOf` and stores the findings.
    ///
    /// With `finished` false the review run is stored `running`, so that the `findings` view does not
    /// show it until ``finish(_:ok:note:)`` records it `ok` (`review` does so once its report files
    /// are written). `found` receives the numbered outcome before its findings are written, inside
    /// the transaction that stores them, so reports can be written from it meanwhile.
    public func review(
        asOf: Date, now: Date = Date(), finished: Bool = true, found: @Sendable (ReviewOutcome) -> Void = { _ in }
    ) async throws -> ReviewOutcome {
        let loaded = try loader.load()
        let facts = ReviewFacts(configuration: configuration, asOf: asOf)
        let configuration = self.configuration
        return try await store.review(facts: facts, startedAt: now, finished: finished, found: found) { db in
            var outcome = ReviewOutcome(
                reviewRunID: 0, asOf: asOf, rules: loaded.rules, findings: [], diagnostics: [],
                ruleErrors: loaded.errors, ruleRuns: [])
            outcome.diagnostics += try Self.dataWarnings(db, configuration: configuration)
            try Self.run(loaded.rules, facts: facts, db: db, into: &outcome)
            // Files that did not load are listed after the rules that ran.
            for error in loaded.errors {
                outcome.ruleRuns.append(
                    RuleRun(rule: error.file.lastPathComponent, status: .failed, findings: 0, seconds: 0))
            }
            return outcome
        }
    }

    /// Runs `rules` in order with `facts` installed, appending to `outcome` their findings, their
    /// runs, the rules that failed and a warning for each rule skipped because the roster is
    /// missing. `idgraph evidence verify` runs the recorded rules through here too.
    static func run(_ rules: [Rule], facts: ReviewFacts, db: Database, into outcome: inout ReviewOutcome) throws {
        try facts.install(in: db)
        defer { try? facts.remove(from: db) }
        let arguments = facts.arguments
        let rosterProblem = try facts.rosterProblem(in: db)
        for rule in rules {
            if rule.requirements.contains(.roster), let rosterProblem {
                outcome.diagnostics.append(
                    ReviewWarning(
                        kind: .ruleSkipped, subject: rule.id,
                        message: "Rule '\(rule.id)' was skipped: \(rosterProblem), so accounts cannot be matched to people."))
                outcome.ruleRuns.append(RuleRun(rule: rule.id, status: .skipped, findings: 0, seconds: 0))
                continue
            }
            let clock = ContinuousClock()
            let start = clock.now
            // Findings go straight into the outcome (no second copy of a large
            // rule's rows); a rule that fails takes its rows back out.
            let before = outcome.findings.count
            do throws(RuleError) {
                try Self.run(rule, db: db, arguments: arguments, into: &outcome.findings)
                outcome.ruleRuns.append(
                    RuleRun(
                        rule: rule.id, status: .ok, findings: outcome.findings.count - before,
                        seconds: (clock.now - start).seconds))
            } catch {
                outcome.findings.removeSubrange(before...)
                outcome.ruleErrors.append(error)
                outcome.ruleRuns.append(
                    RuleRun(rule: rule.id, status: .failed, findings: 0, seconds: (clock.now - start).seconds))
            }
        }
    }

    /// Records how a review stored `running` ended: `ok`, or `failed` with `note` saying why.
    public func finish(_ reviewRunID: Int64, ok: Bool, note: String? = nil, at date: Date = Date()) async throws {
        try await store.finishReview(reviewRunID, ok: ok, note: note, at: date)
    }

    /// Runs one rule, appending its findings to `findings`; any failure
    /// becomes a ``RuleError`` naming its file.
    static func run(_ rule: Rule, db: Database, arguments: StatementArguments, into findings: inout [Finding])
        throws(RuleError)
    {
        func failure(_ message: String) -> RuleError {
            RuleError(file: rule.file, rule: rule.id, message: message)
        }
        do {
            let statement = try db.makeStatement(sql: rule.sql)
            guard statement.isReadonly else {
                throw failure("A rule must be one read-only SELECT statement; this one would change the database.")
            }
            // Columns are found by name once, not on every row.
            let names = statement.columnNames.map { $0.lowercased() }
            let missing = requiredColumns.filter { !names.contains($0) }
            guard missing.isEmpty else {
                throw failure(
                    "The rule returns no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column. A rule must select \(requiredColumns.joined(separator: ", ")) (and may select severity).")
            }
            func column(_ name: String) -> Int { names.firstIndex(of: name)! }
            let (source, accountID, email, name, detail) = (
                column("source"), column("account_id"), column("email"), column("name"), column("detail")
            )
            let severityColumn = names.firstIndex(of: "severity")
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            while let row = try rows.next() {
                var severity = rule.severity
                if let severityColumn, let text: String = row[severityColumn] {
                    guard let value = Severity(rawValue: text.lowercased()) else {
                        throw failure(
                            "A row has severity '\(text)', which is not one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                    severity = value
                }
                findings.append(
                    Finding(
                        rule: rule.id, severity: severity, source: Self.text(row[source]) ?? "",
                        accountID: Self.text(row[accountID]) ?? "", email: Self.text(row[email]),
                        name: Self.text(row[name]), detail: Self.text(row[detail]) ?? ""))
            }
        } catch let error as RuleError {
            throw error
        } catch let error as DatabaseError {
            throw failure("SQLite says: \(error.message ?? error.resultCode.description). Fix the SQL; the other rules still ran.")
        } catch {
            throw failure("\(error)")
        }
    }

    /// A column's value as text, whatever SQLite type it has.
    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .string(let s): s
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .blob(let b): String(decoding: b, as: UTF8.self)
        }
    }

    /// Warnings about the data the rules see: stale sources, sources never
    /// collected, a configured roster with no people.
    static func dataWarnings(_ db: Database, configuration: Configuration) throws -> [ReviewWarning] {
        var stale: [ReviewWarning] = []
        var other: [ReviewWarning] = []
        var collected: Set<String> = []
        for current in try GraphStore.currentSources(db, counting: false) {
            let source = current.source
            collected.insert(source)
            if current.stale {
                let when = current.collectedAt.isEmpty ? "an unknown date" : current.collectedAt
                let error = current.lastError ?? "no error recorded"
                stale.append(
                    ReviewWarning(
                        kind: .staleSource, subject: source,
                        message: "Source '\(source)' is stale: its last collection failed (\(error)). Its data is from \(when), its last good collection."))
            }
        }
        for source in configuration.sources where !collected.contains(source.name) {
            other.append(
                ReviewWarning(
                    kind: .neverCollected, subject: source.name,
                    message: "Source '\(source.name)' has no collected data: no collection of it has succeeded. Run 'idgraph collect' and check its errors."))
        }
        return stale + other
    }
}
