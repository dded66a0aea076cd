import Foundation
import GRDB

/// One file a review writes: `findings.csv`, `accounts.csv`, `access-review.html`.
///
/// ``ReviewPipeline`` starts every output while the rules still run; an output
/// that needs the findings awaits ``ReviewOutputInput/outcome``. A new report
/// is one more type here and one more entry in ``ReviewPipeline/outputs``.
protocol ReviewOutput: Sendable {
    /// The file's name in the review's folder.
    var fileName: String { get }
    /// Writes the file to `url`, awaiting from `input` what it needs.
    func write(to url: URL, input: ReviewOutputInput) async throws
}

/// What the outputs of one review read.
struct ReviewOutputInput: Sendable {
    /// The graph the review read.
    var reader: any DatabaseReader
    /// Thresholds and sources, for the page.
    var configuration: Configuration
    /// When the page says it was generated.
    var now: Date
    /// Whether the page carries its accounts as data its script renders a page at a time
    /// (above ``AccessReviewHTML/compactThreshold`` accounts).
    var compact: Bool
    /// The campaign whose progress the page shows, if any.
    var campaign: CampaignProgress.Report?
    /// The rules' outcome, settled by the pipeline when the rules have run.
    var outcome = Handoff<ReviewOutcome>()
    /// A compact page's account rows: `accounts.csv`'s output reads them in the same pass as its
    /// own rows, writes them to ``accountsBlock`` and hands them over here.
    var pageAccounts = Handoff<AccessReviewData>()
    /// Where a compact page's account rows are written before the page takes them in.
    var accountsBlock: URL
}

/// `findings.csv`, from the findings the rules hand over.
struct FindingsCSVOutput: ReviewOutput {
    let fileName = "findings.csv"

    func write(to url: URL, input: ReviewOutputInput) async throws {
        try FindingsCSV.write(try await input.outcome.value.findings, to: url)
    }
}

/// `accounts.csv`, which does not depend on the findings; for a compact page it reads the
/// page's account rows in the same pass.
struct AccountsCSVOutput: ReviewOutput {
    let fileName = "accounts.csv"

    func write(to url: URL, input: ReviewOutputInput) async throws {
        guard input.compact else {
            try await AccountsCSV.write(from: input.reader, to: url)
            return
        }
        do {
            let data = try await AccessReviewData.writeAccounts(from: input.reader, csv: url, block: input.accountsBlock)
            input.pageAccounts.settle(.success(data))
        } catch {
            input.pageAccounts.settle(.failure(error))
            throw error
        }
    }
}

/// `access-review.html`: the summary of the sources is read while the rules run, the rest once
/// they have.
struct AccessReviewPageOutput: ReviewOutput {
    let fileName = "access-review.html"

    func write(to url: URL, input: ReviewOutputInput) async throws {
        let summary = try await ReportModel.summary(
            configuration: input.configuration, from: input.reader, countingPeople: input.compact)
        let outcome = try await input.outcome.value
        var model = try await ReportModel.load(
            outcome, configuration: input.configuration, from: input.reader, generatedAt: input.now,
            includingAccess: !input.compact, summary: summary)
        model.campaign = input.campaign
        if input.compact {
            let data = try await input.pageAccounts.value
            try await AccessReviewHTML().writeCompact(
                model, data: data, accountsBlock: input.accountsBlock, from: input.reader, to: url)
        } else {
            try AccessReviewHTML().write(model, to: url)
        }
    }
}
