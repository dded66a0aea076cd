import Foundation

/// What a review produced: its findings, what it could not do, and how long each rule took.
public struct ReviewOutcome: Sendable {
    /// The stored `review_run` row.
    public var reviewRunID: Int64
    /// The moment the rules judged against.
    public var asOf: Date
    /// The rules that were loaded, in the order they ran.
    public var rules: [Rule]
    /// Every finding, rule by rule.
    public var findings: [Finding]
    /// Things the reviewer must know: stale sources, missing data, skipped rules.
    public var diagnostics: [ReviewWarning]
    /// The diagnostics' messages, in order.
    public var warnings: [String] { diagnostics.map(\.message) }
    /// The warnings about stale sources, which the HTML report shows in its own box with the date
    /// of their last good data.
    public var staleSourceWarnings: [String] { diagnostics.filter { $0.kind == .staleSource }.map(\.message) }
    /// Rule files that could not be loaded or run.
    public var ruleErrors: [RuleError]
    /// What happened to each rule.
    public var ruleRuns: [RuleRun]

    /// 0 when every rule ran, 1 when one failed (the others' findings stand).
    public var exitStatus: ExitStatus { ruleErrors.isEmpty ? .success : .failure }

    /// The findings of one rule.
    public func findings(of rule: String) -> [Finding] { findings.filter { $0.rule == rule } }
}

/// How one rule's run went.
public struct RuleRun: Sendable, Hashable {
    /// What became of the rule.
    public enum Status: String, Sendable, Hashable {
        /// It ran; its findings are stored.
        case ok
        /// A requirement is not configured; it did not run.
        case skipped
        /// SQLite rejected it or it returned unusable rows.
        case failed
    }
    /// The rule's id (the file name when the header could not be read).
    public var rule: String
    /// What became of it.
    public var status: Status
    /// How many findings it produced.
    public var findings: Int
    /// How long it ran.
    public var seconds: Double
}

/// Something the reader of a review must know: what it is about (a source or a rule), of which
/// kind, and the sentence that says it.
public struct ReviewWarning: Sendable, Hashable, CustomStringConvertible {
    /// What the warning is about.
    public enum Kind: String, Sendable, Hashable {
        /// The source's last collection failed: its data is from its last good one.
        case staleSource = "stale-source"
        /// No collection of a configured source has succeeded.
        case neverCollected = "never-collected"
        /// A rule did not run: something it needs is not configured or collected.
        case ruleSkipped = "rule-skipped"
        /// A warning an earlier review recorded, read back as its sentence.
        case recorded
    }

    /// What it is about.
    public var kind: Kind
    /// The source or rule concerned.
    public var subject: String
    /// The sentence: what, where and what to do.
    public var message: String

    public var description: String { message }
}
