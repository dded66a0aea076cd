import Foundation
#if canImport(Glibc)
import Glibc
#endif
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
        /// How long each stage took, in order: rules, each file, in seconds.
        public var stages: [(name: String, seconds: Double)] = []

        /// 0 when every rule ran, 1 when one failed.
        public var exitStatus: ExitStatus { outcome.exitStatus }
    }

    /// Reviews the graph in `store` as of `asOf` and writes the reports into `outputDirectory`.
    ///
    /// Above `compactThreshold` accounts the HTML page embeds the accounts and
    /// findings as data its script renders a page at a time.
    ///
    /// Throws a ``ConfigurationError`` when `rules_dir` names no folder, a
    /// ``ReportError`` when a report cannot be written, a ``DiskWriteError``
    /// when the database cannot be; a failing rule is not thrown but listed in
    /// the result (exit status 1). The review run is stored `running` and
    /// recorded `ok` only once the three reports are in place; a review whose
    /// reports were not written is recorded `failed`, and the `findings` view
    /// goes on showing the previous review.
    public static func run(
        store: GraphStore, configuration: Configuration, asOf: Date = Date(), outputDirectory: URL,
        now: Date = Date(), compactThreshold: Int = AccessReviewHTML.compactThreshold, campaign: String? = nil
    ) async throws -> Result {
        // A campaign named is read first: a wrong name fails before anything is written.
        var campaignReport: CampaignProgress.Report?
        if let campaign { campaignReport = try await CampaignProgress.report(store: store, campaign: campaign, now: now) }
        try createFolder(outputDirectory)
        let clock = ContinuousClock()
        var stageStart = clock.now
        var stages: [(name: String, seconds: Double)] = []
        func stage(_ name: String) {
            let now = clock.now
            stages.append((name, (now - stageStart).seconds))
            stageStart = now
        }
        // Each file is written under a hidden name and renamed over the
        // previous report only when all three are complete, so a review that
        // fails leaves the last good reports as they were.
        let files = ReportFiles(outputDirectory)
        let (html, findingsCSV, accountsCSV) = (files.html.part, files.findingsCSV.part, files.accountsCSV.part)
        let accountsBlock = outputDirectory.appendingPathComponent(".access-review.accounts.part")
        defer { files.removeParts() }
        let accounts = try await store.reader.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM current_source_runs c JOIN account a ON a.source_run_id = c.source_run_id")
                ?? 0
        }
        let compact = accounts > compactThreshold
        // The accounts do not depend on the findings: accounts.csv, and the
        // account rows of a large page, are written in one pass on a reader
        // connection while the rules run on the writer, and so is the
        // summary of the sources.
        // A child task: cancelled and awaited whenever this function leaves early, so no file is
        // left being written behind an error.
        async let listing: (data: AccessReviewData?, seconds: Double) = {
            let start = clock.now
            if compact {
                let data = try await AccessReviewData.writeAccounts(from: store.reader, csv: accountsCSV, block: accountsBlock)
                return (data, (clock.now - start).seconds)
            }
            try await AccountsCSV.write(from: store.reader, to: accountsCSV)
            return (nil, (clock.now - start).seconds)
        }()
        defer { try? FileManager.default.removeItem(at: accountsBlock) }
        async let summary = ReportModel.summary(configuration: configuration, from: store.reader, countingPeople: compact)
        // Stored `running`: the findings view shows this review only once its reports are written.
        let reviewer = Reviewer(store: store, configuration: configuration)
        let outcome: ReviewOutcome
        do {
            outcome = try await reviewer.review(asOf: asOf, now: now, finished: false)
        } catch {
            _ = try? await listing  // its files are not left half written behind the error
            throw DiskWriteError(
                error, subject: "review", path: store.path,
                consequence: "No review was recorded: the findings view and the reports in \(outputDirectory.path) are unchanged.",
                command: "idgraph review") ?? error
        }
        stage("rules (stored)")
        let result: Result
        do {
            var written = Result(
                outcome: outcome, html: files.html.final, findingsCSV: files.findingsCSV.final,
                accountsCSV: files.accountsCSV.final)
            // findings.csv is written on a second reader connection while the page
            // is built on this one.
            async let findingsFile: Double = {
                let start = clock.now
                try await FindingsCSV.write(outcome.reviewRunID, from: store.reader, to: findingsCSV)
                return (clock.now - start).seconds
            }()
            var model = try await ReportModel.load(
                outcome, configuration: configuration, from: store.reader, generatedAt: now, includingAccess: !compact,
                summary: try await summary)
            model.campaign = campaignReport
            stage("report model")
            let (data, listingSeconds) = try await listing
            stage("waiting for the accounts")
            if let data {
                try await AccessReviewHTML().writeCompact(
                    model, data: data, accountsBlock: accountsBlock, from: store.reader, to: html)
            } else {
                try AccessReviewHTML().write(model, to: html)
            }
            stage(compact ? "access-review.html (compact)" : "access-review.html")
            stages.append((compact ? "accounts.csv and the page's account rows (alongside the rules)" : "accounts.csv (alongside the rules)", listingSeconds))
            stages.append(("findings.csv (alongside the page)", try await findingsFile))
            stage("waiting for the CSV files")
            try files.publish()
            written.stages = stages
            result = written
        } catch {
            // Recorded `failed`, never `ok`: the findings view goes on showing the previous review.
            try? await reviewer.finish(outcome.reviewRunID, ok: false, note: "The reports were not written: \(error)")
            if var error = error as? ReportError {
                error.message += " The review is recorded as failed, and the findings view does not show it."
                throw error
            }
            throw DiskWriteError(
                error, subject: "review", path: store.path,
                consequence: "The review is recorded as failed, and the findings view does not show it; the reports in \(outputDirectory.path) are unchanged.",
                command: "idgraph review") ?? error
        }
        do {
            try await reviewer.finish(outcome.reviewRunID, ok: true)
        } catch {
            throw DiskWriteError(
                error, subject: "review", path: store.path,
                consequence: "The reports in \(outputDirectory.path) were written, but the review could not be recorded as finished, and the findings view does not show it.",
                command: "idgraph review") ?? error
        }
        return result
    }

    /// Creates the output folder; a path through an existing file is a usage error (exit status 2).
    private static func createFolder(_ folder: URL) throws(ReportError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            // The nearest part of the path that exists: a file there means --out can never be a folder.
            var existing = folder
            var isFolder: ObjCBool = false
            while !FileManager.default.fileExists(atPath: existing.path, isDirectory: &isFolder), existing.path != "/" {
                existing = existing.deletingLastPathComponent()
            }
            if !isFolder.boolValue {
                throw ReportError(
                    file: folder.path,
                    message: "The output folder cannot be created: \(existing.path) is a file, not a folder. Choose another --out folder.",
                    exitStatus: .usage)
            }
            throw ReportError(file: folder.path, message: "The output folder cannot be created (\(error.localizedDescription)). Choose another --out folder or fix its permissions.")
        }
    }

    /// The three report files, each with the hidden name it is written under.
    private struct ReportFiles {
        var html: (final: URL, part: URL)
        var findingsCSV: (final: URL, part: URL)
        var accountsCSV: (final: URL, part: URL)

        init(_ folder: URL) {
            func file(_ name: String) -> (URL, URL) {
                (folder.appendingPathComponent(name), folder.appendingPathComponent(".\(name).part"))
            }
            html = file("access-review.html")
            findingsCSV = file("findings.csv")
            accountsCSV = file("accounts.csv")
        }

        /// Renames every part over its final name; a final name taken by a folder is found before
        /// any file is renamed, so the folder never holds reports of two reviews.
        func publish() throws(ReportError) {
            for file in [findingsCSV, accountsCSV, html] {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: file.final.path, isDirectory: &isFolder), isFolder.boolValue {
                    throw ReportError(file: file.final.path, message: "A folder has the report's name, so the report cannot be written there. Move the folder away, or choose another --out folder.")
                }
            }
            for file in [findingsCSV, accountsCSV, html] where rename(file.part.path, file.final.path) != 0 {
                let reason = String(cString: strerror(errno))
                throw ReportError(file: file.final.path, message: "The finished report cannot replace the previous one (\(reason)). Check the --out folder's permissions.")
            }
        }

        /// Removes what is left of the parts after a failure.
        func removeParts() {
            for file in [html, findingsCSV, accountsCSV] {
                try? FileManager.default.removeItem(at: file.part)
            }
        }
    }
}
