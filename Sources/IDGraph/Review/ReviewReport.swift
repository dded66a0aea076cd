import Foundation
import GRDB

/// `idgraph review` as one call: run the rules on the latest graph, store the
/// findings, and write `findings.csv`, `accounts.csv` and `access-review.html`.
public enum ReviewReport {
    /// What a review wrote and found.
    public struct Result: Sendable {
        /// The rules' outcome: findings, warnings, failed rules, timings.
        public var outcome: ReviewOutcome
        /// `access-review.html`.
        public var html: URL
        /// `findings.csv`.
        public var findingsCSV: URL
        /// `accounts.csv`.
        public var accountsCSV: URL

        /// 0 when every rule ran, 1 when one failed.
        public var exitStatus: ExitStatus { outcome.exitStatus }
    }

    /// Reviews the graph in `store` as of `asOf` and writes the reports into `outputDirectory`.
    ///
    /// Above `compactThreshold` accounts the HTML page embeds the accounts and
    /// findings as data its script renders a page at a time.
    ///
    /// Throws a ``ConfigurationError`` when `rules_dir` names no folder, a
    /// ``ReportError`` when a report cannot be written; a failing rule is not
    /// thrown but listed in the result (exit status 1).
    public static func run(
        store: GraphStore, configuration: Configuration, asOf: Date = Date(), outputDirectory: URL,
        now: Date = Date(), compactThreshold: Int = AccessReviewHTML.compactThreshold
    ) async throws -> Result {
        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw ReportError(file: outputDirectory.path, message: "The output folder cannot be created (\(error.localizedDescription)). Choose another --out folder or fix its permissions.")
        }
        let outcome = try await Reviewer(store: store, configuration: configuration).review(asOf: asOf, now: now)
        let result = Result(
            outcome: outcome,
            html: outputDirectory.appendingPathComponent("access-review.html"),
            findingsCSV: outputDirectory.appendingPathComponent("findings.csv"),
            accountsCSV: outputDirectory.appendingPathComponent("accounts.csv"))
        try await FindingsCSV.write(outcome.reviewRunID, from: store.writer, to: result.findingsCSV)
        try await AccountsCSV.write(from: store.writer, to: result.accountsCSV)
        let accounts = try await store.writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM current_source_runs c JOIN account a ON a.source_run_id = c.source_run_id")
                ?? 0
        }
        let compact = accounts > compactThreshold
        let model = try await ReportModel.load(
            outcome, configuration: configuration, from: store.writer, generatedAt: now, includingAccess: !compact)
        if compact {
            try await AccessReviewHTML().writeCompact(model, from: store.writer, to: result.html)
        } else {
            try AccessReviewHTML().write(model, to: result.html)
        }
        return result
    }

    /// The moment `--as-of YYYY-MM-DD` names: the start of that day, 00:00:00 UTC.
    public static func asOf(day text: String) throws(ConfigurationError) -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let date = Timestamp.parse(text), Timestamp.day(from: date) == text
        else {
            throw ConfigurationError(
                file: "--as-of", message: "'\(text)' is not a date. Write it as YYYY-MM-DD, for example 2025-06-30.")
        }
        return date
    }
}
