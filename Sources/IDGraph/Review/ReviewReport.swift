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
        // Each file is written under a hidden name and renamed over the
        // previous report only when all of them are complete, so a review that
        // fails leaves the last good reports as they were.
        let files = ReportFiles(outputDirectory, outputs: ReviewPipeline.outputs)
        defer { files.removeParts() }
        let accountsBlock = outputDirectory.appendingPathComponent(".access-review.accounts.part")
        defer { try? FileManager.default.removeItem(at: accountsBlock) }
        let accounts = try await store.reader.read { db in
            try GraphStore.currentAccountCount(db)
        }
        let input = ReviewOutputInput(
            reader: store.reader, configuration: configuration, now: now, compact: accounts > compactThreshold,
            campaign: campaignReport, accountsBlock: accountsBlock)
        // Stored `running`: the findings view shows this review only once its reports are written.
        let reviewer = Reviewer(store: store, configuration: configuration)
        let outcome: ReviewOutcome
        let stages: [ReviewPipeline.Stage]
        do throws(ReviewPipeline.Failure) {
            (outcome, stages) = try await ReviewPipeline().run(
                input,
                rules: { found in try await reviewer.review(asOf: asOf, now: now, finished: false, found: found) },
                url: files.part(of:))
        } catch {
            switch error {
            case .rules(let error):
                throw DiskWriteError(
                    error, subject: "review", path: store.path,
                    consequence: "No review was recorded: the findings view and the reports in \(outputDirectory.path) are unchanged.",
                    command: "idgraph review") ?? error
            case .output(_, let error, let outcome):
                throw await failed(outcome, error, reviewer: reviewer, store: store, outputDirectory: outputDirectory)
            }
        }
        do {
            try files.publish()
        } catch {
            throw await failed(outcome, error, reviewer: reviewer, store: store, outputDirectory: outputDirectory)
        }
        do {
            try await reviewer.finish(outcome.reviewRunID, ok: true)
        } catch {
            throw DiskWriteError(
                error, subject: "review", path: store.path,
                consequence: "The reports in \(outputDirectory.path) were written, but the review could not be recorded as finished, and the findings view does not show it.",
                command: "idgraph review") ?? error
        }
        var result = Result(
            outcome: outcome, html: files.final(AccessReviewPageOutput().fileName),
            findingsCSV: files.final(FindingsCSVOutput().fileName), accountsCSV: files.final(AccountsCSVOutput().fileName))
        result.stages = stages.map { ($0.name, $0.seconds) }
        return result
    }

    /// Records the review of `outcome` `failed`, never `ok`, because its reports were not written,
    /// and returns the error to throw: the findings view goes on showing the previous review.
    private static func failed(
        _ outcome: ReviewOutcome, _ error: any Error, reviewer: Reviewer, store: GraphStore, outputDirectory: URL
    ) async -> any Error {
        try? await reviewer.finish(outcome.reviewRunID, ok: false, note: "The reports were not written: \(error)")
        if var error = error as? ReportError {
            error.message += " The review is recorded as failed, and the findings view does not show it."
            return error
        }
        return DiskWriteError(
            error, subject: "review", path: store.path,
            consequence: "The review is recorded as failed, and the findings view does not show it; the reports in \(outputDirectory.path) are unchanged.",
            command: "idgraph review") ?? error
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

    /// The review's files, each written under a hidden name first.
    private struct ReportFiles: Sendable {
        var folder: URL
        var names: [String]

        init(_ folder: URL, outputs: [any ReviewOutput]) {
            self.folder = folder
            names = outputs.map(\.fileName)
        }

        func final(_ name: String) -> URL { folder.appendingPathComponent(name) }
        func part(_ name: String) -> URL { folder.appendingPathComponent(".\(name).part") }
        @Sendable func part(of output: any ReviewOutput) -> URL { part(output.fileName) }

        /// Renames every part over its final name; a final name taken by a folder is found before
        /// any file is renamed, so the folder never holds reports of two reviews.
        func publish() throws(ReportError) {
            for name in names {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: final(name).path, isDirectory: &isFolder), isFolder.boolValue {
                    throw ReportError(file: final(name).path, message: "A folder has the report's name, so the report cannot be written there. Move the folder away, or choose another --out folder.")
                }
            }
            for name in names where rename(part(name).path, final(name).path) != 0 {
                let reason = String(cString: strerror(errno))
                throw ReportError(file: final(name).path, message: "The finished report cannot replace the previous one (\(reason)). Check the --out folder's permissions.")
            }
        }

        /// Removes what is left of the parts after a failure.
        func removeParts() {
            for name in names {
                try? FileManager.default.removeItem(at: part(name))
            }
        }
    }
}
