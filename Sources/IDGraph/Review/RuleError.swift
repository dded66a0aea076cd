import Foundation

/// A rule that could not be loaded or run: the file, SQLite's or the loader's
/// message, and what to do. The other rules still run; the review exits 1.
public struct RuleError: IDGraphError, Hashable {
    /// The rule file.
    public var file: URL
    /// The 1-based line, when known.
    public var line: Int?
    /// The rule's id, when the header could be read.
    public var rule: String?
    /// What went wrong, in whole sentences (SQLite's own message included).
    public var message: String

    /// Creates a rule error.
    public init(file: URL, line: Int? = nil, rule: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.rule = rule
        self.message = message
    }

    public var exitStatus: ExitStatus { .failure }

    public var description: String {
        var location = file.path
        if let line { location += ":\(line)" }
        let name = rule.map { "rule '\($0)' (\(location))" } ?? location
        return "\(name): \(message)"
    }
}
