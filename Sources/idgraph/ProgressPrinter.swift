import Foundation
import IDGraph
import Synchronization

/// Prints collection progress on stderr: throttled page counts, every wait and
/// retry, each request with `--verbose`, nothing with `--quiet`.
final class ProgressPrinter: Sendable {
    private let verbose: Bool
    private let quiet: Bool
    private let lastPrint = Mutex<[String: ContinuousClock.Instant]>([:])

    init(verbose: Bool, quiet: Bool) {
        self.verbose = verbose
        self.quiet = quiet
    }

    var sink: ProgressSink {
        ProgressSink { [self] event in self.print(event) }
    }

    /// Writes a line; text from a SaaS may carry escape sequences, so controls are shown, not applied.
    private func write(_ line: String) {
        FileHandle.standardError.write(Data((TerminalText.escaped(line) + "\n").utf8))
    }

    private func print(_ event: ProgressEvent) {
        guard !quiet else { return }
        switch event {
        case .started(let source):
            write("\(source): collecting…")
        case .page(let source, let what, _, let total):
            let now = ContinuousClock.now
            let due = lastPrint.withLock { last -> Bool in
                if let previous = last[source], now - previous < .milliseconds(500) { return false }
                last[source] = now
                return true
            }
            if due || verbose { write("\(source): \(total) \(what)") }
        case .waiting(let source, let seconds, let reason):
            write("\(source): waiting \(String(format: "%.1f", seconds)) s (\(reason))")
        case .retrying(let source, let path, let attempt, let reason):
            write("\(source): retrying \(path) (attempt \(attempt): \(reason))")
        case .request(let source, let method, let path, let status, let ms):
            if verbose { write("\(source): \(method) \(path) → \(status) (\(ms) ms)") }
        case .tokenRequested(let source, let reason):
            if verbose { write("\(source): requesting an access token (\(reason.rawValue))") }
        case .warning(let diagnostic):
            write("\(diagnostic.source): warning: \(diagnostic.message)")
        case .finished:
            break
        }
    }
}
