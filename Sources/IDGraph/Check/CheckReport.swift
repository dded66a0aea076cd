import Foundation

/// What `idgraph check` found about one source.
public struct SourceCheck: Sendable, Hashable {
    /// The source's instance name.
    public var source: String
    /// Its kind.
    public var kind: SourceKind
    /// What was found, in order.
    public var lines: [CheckLine]
    /// HTTP requests sent (a token request included).
    public var requests: Int
    /// Wall time.
    public var seconds: Double

    /// The worst status among the lines: `failed` when a collect of the source would fail.
    public var status: CheckLine.Status { lines.map(\.status).max() ?? .ok }
}

/// The outcome of `idgraph check`: one ``SourceCheck`` per source, in the configuration's order.
public struct CheckReport: Sendable {
    /// Each source's result.
    public var checks: [SourceCheck]

    /// 1 when any source failed its check; warnings do not fail it.
    public var exitStatus: ExitStatus { checks.contains { $0.status == .failed } ? .failure : .success }

    /// Lines per source for a terminal, text from the APIs made safe to print (``TerminalText``).
    public var text: String {
        var out = ""
        for check in checks {
            let requests = check.requests == 0 ? "" : ", \(check.requests) request\(check.requests == 1 ? "" : "s")"
            out += "\(check.source) (\(check.kind.rawValue)): \(Self.word(check.status))\(requests), \(String(format: "%.1f", check.seconds)) s\n"
            for line in check.lines {
                let word = Self.word(line.status)
                out += "  " + word + String(repeating: " ", count: 9 - word.count) + TerminalText.escaped(line.text) + "\n"
            }
        }
        let failed = checks.filter { $0.status == .failed }.count
        let warned = checks.filter { $0.status == .warning }.count
        out += "\(checks.count) source\(checks.count == 1 ? "" : "s") checked: \(checks.count - failed - warned) ok, \(warned) with warnings, \(failed) failed\n"
        return out
    }

    /// One JSON object: `status` and, per source, its `status`, `requests`, `seconds` and `lines`.
    public var json: String {
        struct Source: Encodable {
            var source: String
            var kind: String
            var status: CheckLine.Status
            var requests: Int
            var seconds: Double
            var lines: [CheckLine]
        }
        struct Report: Encodable {
            var status: CheckLine.Status
            var sources: [Source]
        }
        let report = Report(
            status: checks.map(\.status).max() ?? .ok,
            sources: checks.map {
                Source(
                    source: $0.source, kind: $0.kind.rawValue, status: $0.status, requests: $0.requests,
                    seconds: ($0.seconds * 1000).rounded() / 1000, lines: $0.lines)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }

    /// How a status is printed: as `collect` prints a source that failed, in capitals.
    private static func word(_ status: CheckLine.Status) -> String {
        status == .failed ? "FAILED" : status.rawValue
    }
}
