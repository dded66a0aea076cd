import CSV
import Foundation
import GRDB

/// What `idgraph evidence verify` found.
public struct EvidenceVerification: Sendable {
    /// What was checked and held, one line each.
    public var checks: [String] = []
    /// Each file or row that differs, named; empty when the pack holds.
    public var problems: [String] = []
    /// The manifest read.
    public var manifest: EvidenceManifest?

    /// Whether every check held.
    public var ok: Bool { problems.isEmpty }
    /// 0 when every check held, 1 otherwise.
    public var exitStatus: ExitStatus { ok ? .success : .failure }
}

/// Re-verifies an evidence pack with nothing but the pack: every file against
/// its SHA-256, the database copy opened read-only and checked, the recorded
/// rules re-run with the recorded parameters on the graph as the review read
/// it and compared row for row with `findings.csv`, the population, accounts
/// and decisions re-derived and compared, and the completeness of the
/// population.
public enum EvidenceVerifier {
    /// Verifies the pack in `folder`. Throws only when `folder` is no pack at all.
    public static func verify(_ folder: URL) async throws -> EvidenceVerification {
        let manifest = try EvidenceManifest.read(from: folder)
        var result = EvidenceVerification(manifest: manifest)
        checkFiles(manifest, in: folder, into: &result)

        let database = folder.appendingPathComponent(EvidencePack.databaseFile)
        guard manifest.files.contains(where: { $0.path == EvidencePack.databaseFile }),
            FileManager.default.fileExists(atPath: database.path)
        else {
            result.problems.append("\(EvidencePack.databaseFile): missing, so nothing can be re-derived.")
            return result
        }
        do {
            try checkIntegrity(database, into: &result)
            let reviewed = try ReviewedGraph.make(
                copying: database, reviewRunID: manifest.reviewRunID, shownAs: EvidencePack.databaseFile)
            defer { reviewed.remove() }
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-verify-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let derived = PackFiles(folder: scratch)
            let db = reviewed.database
            let review = try await db.read { try RecordedReview.read($0, id: manifest.reviewRunID, shownAs: EvidencePack.databaseFile) }

            try await rerunRules(manifest, review: review, db: db, pack: folder, derived: derived, into: &result)
            try await FindingsCSV.write(manifest.reviewRunID, from: db, to: derived.url("findings.csv"))
            compare("findings.csv", folder, derived, what: "the findings the database copy holds", into: &result)

            let population = try await db.read { try PopulationRow.rows($0, review: review) }
            try derived.csv("population.csv", header: PopulationRow.header, rows: population.map(\.cells))
            compare("population.csv", folder, derived, what: "the population re-counted in the database copy", into: &result)
            try await AccountsCSV.write(from: db, to: derived.url("accounts.csv"))
            compare("accounts.csv", folder, derived, what: "the accounts the review read, from the database copy", into: &result)

            if let campaign = manifest.campaign {
                try await db.read { try derived.csv($0, "decisions.csv", sql: DecisionsCSV.sql, arguments: [campaign]) }
                compare("decisions.csv", folder, derived, what: "the campaign's decisions in the database copy", into: &result)
                try await checkCoverage(campaign, db: db, into: &result)
            }
            checkCompleteness(manifest, population: population, into: &result)
        } catch let error as EvidenceError {
            result.problems.append(error.description)
        } catch {
            result.problems.append("\(EvidencePack.databaseFile): it cannot be read (\(error)).")
        }
        return result
    }

    /// Every file of the manifest present with its size and SHA-256; no file the manifest does not list.
    private static func checkFiles(_ manifest: EvidenceManifest, in folder: URL, into result: inout EvidenceVerification) {
        var matched = 0
        for file in manifest.files {
            let url = folder.appendingPathComponent(file.path)
            guard !file.path.contains(".."), let (sha256, bytes) = try? Digest.sha256(file: url) else {
                result.problems.append("\(file.path): missing.")
                continue
            }
            if sha256 != file.sha256 || bytes != file.bytes {
                result.problems.append(
                    "\(file.path): changed since the pack was made (SHA-256 \(sha256.prefix(16))…, \(bytes) bytes; the manifest records \(file.sha256.prefix(16))…, \(file.bytes) bytes).")
            } else {
                matched += 1
            }
        }
        let listed = Set(manifest.files.map(\.path) + [EvidenceManifest.fileName])
        for path in (try? PackFiles.paths(in: folder)) ?? [] where !listed.contains(path) {
            result.problems.append("\(path): not in the manifest; it was added after the pack was made.")
        }
        if matched == manifest.files.count {
            result.checks.append("\(matched) files match the SHA-256 and size the manifest records.")
        }
    }

    /// The copy opens read-only and SQLite finds it sound.
    private static func checkIntegrity(_ database: URL, into result: inout EvidenceVerification) throws {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: database.path, configuration: configuration)
        defer { try? queue.close() }
        let verdict = try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } ?? "no answer"
        if verdict == "ok" {
            result.checks.append("\(EvidencePack.databaseFile) opens read-only and passes SQLite's integrity check.")
        } else {
            result.problems.append("\(EvidencePack.databaseFile): SQLite's integrity check fails (\(verdict)).")
        }
    }

    /// Runs the pack's rule files with the pack's parameters on the graph as reviewed, and compares
    /// the findings with `findings.csv` as a set of rows.
    private static func rerunRules(
        _ manifest: EvidenceManifest, review: RecordedReview, db: DatabaseQueue, pack: URL, derived: PackFiles,
        into result: inout EvidenceVerification
    ) async throws {
        guard let parameters = try? String(contentsOf: pack.appendingPathComponent("parameters.json"), encoding: .utf8),
            let facts = ReviewFacts.parse(json: parameters)
        else {
            result.problems.append("parameters.json: missing or not the parameters of a review, so the rules cannot be re-run.")
            return
        }
        if facts != review.facts {
            result.problems.append("parameters.json: differs from the parameters the database copy records for review run \(review.id).")
        }
        var rules: [Rule] = []
        for entry in manifest.rules {
            let url = pack.appendingPathComponent("rules").appendingPathComponent(entry.file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                result.problems.append("rules/\(entry.file): missing, so rule '\(entry.rule)' cannot be re-run.")
                continue
            }
            do {
                let rule = try Rule.parse(text, file: url)
                if let recorded = review.rules.first(where: { $0.rule == entry.rule }), recorded.sql != text {
                    result.problems.append("rules/\(entry.file): differs from the SQL the database copy records for rule '\(entry.rule)'.")
                }
                rules.append(rule)
            } catch {
                result.problems.append("rules/\(entry.file): not a readable rule (\(error.message)).")
            }
        }
        let loaded = rules
        let outcome = try await db.write { db in
            var outcome = ReviewOutcome(
                reviewRunID: review.id, asOf: Date(), rules: loaded, findings: [], diagnostics: [], ruleErrors: [], ruleRuns: [])
            try Reviewer.run(loaded, facts: facts, db: db, into: &outcome)
            return outcome
        }
        for entry in manifest.rules {
            let status = outcome.ruleRuns.first { $0.rule == entry.rule }?.status.rawValue
            if let status, status != entry.status {
                result.problems.append("rules/\(entry.file): rule '\(entry.rule)' \(status) when re-run; in the review it \(entry.status == "ok" ? "ran" : entry.status).")
            }
        }
        try FindingsCSV.write(outcome.findings, to: derived.url("rerun-findings.csv"))
        let problems = differences(
            "findings.csv", expected: derived.url("rerun-findings.csv"), actual: pack.appendingPathComponent("findings.csv"),
            ordered: false, what: "the findings of the rules re-run")
        if problems.isEmpty {
            result.checks.append("\(rules.count) rules re-run with parameters.json as of \(facts.asOf): \(outcome.findings.count) findings, the same rows as findings.csv.")
        }
        result.problems += problems
    }

    /// Every item of the campaign has a decision.
    private static func checkCoverage(_ campaign: String, db: DatabaseQueue, into result: inout EvidenceVerification) async throws {
        let (items, undecided) = try await db.read { db -> (Int, [Int64]) in
            let items = try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign_items WHERE campaign = ?", arguments: [campaign]) ?? 0
            let open = try Int64.fetchAll(
                db, sql: "SELECT item FROM campaign_items WHERE campaign = ? AND decision IS NULL ORDER BY item", arguments: [campaign])
            return (items, open)
        }
        if undecided.isEmpty {
            result.checks.append("Decisions cover all \(items) items of campaign '\(campaign)'.")
        } else {
            let shown = undecided.prefix(10).map(String.init).joined(separator: ", ")
            result.problems.append(
                "decisions.csv: \(undecided.count) of \(items) items of campaign '\(campaign)' have no decision (items \(shown)\(undecided.count > 10 ? ", …" : "")).")
        }
    }

    /// An incomplete population holds only with the reason it was accepted.
    private static func checkCompleteness(
        _ manifest: EvidenceManifest, population: [PopulationRow], into result: inout EvidenceVerification
    ) {
        let incomplete = population.compactMap { row in row.incomplete.map { "source '\(row.source)': \($0)" } }
        if incomplete != manifest.incomplete || manifest.complete != incomplete.isEmpty {
            result.problems.append("\(EvidenceManifest.fileName): its completeness differs from the population re-counted in the database copy.")
        }
        if incomplete.isEmpty {
            result.checks.append("The population is complete: every source collected, none stale, each as many accounts as its API reported.")
        } else if let reason = manifest.acceptedIncomplete {
            result.checks.append("The population is incomplete (\(incomplete.joined(separator: "; "))), accepted: \(reason)")
        } else {
            result.problems.append("The pack is incomplete and no reason was recorded (--accept-incomplete): \(incomplete.joined(separator: "; ")).")
        }
    }

    private static func compare(
        _ name: String, _ pack: URL, _ derived: PackFiles, what: String, into result: inout EvidenceVerification
    ) {
        let problems = differences(name, expected: derived.url(name), actual: pack.appendingPathComponent(name), ordered: true, what: what)
        if problems.isEmpty {
            result.checks.append("\(name) is \(what), row for row.")
        }
        result.problems += problems
    }

    /// The rows of `actual` that differ from those of `expected`, naming file and row (the header is
    /// row 1); `ordered` compares row by row, otherwise as a multiset of rows. Both files are read as
    /// streams: a pack of a million accounts is compared without holding either file.
    static func differences(_ name: String, expected: URL, actual: URL, ordered: Bool, what: String) -> [String] {
        guard let theirs = CSVRows(actual) else { return ["\(name): missing or not CSV."] }
        guard let ours = CSVRows(expected) else { return ["\(name): \(what) could not be derived."] }
        var problems: [String] = []
        func show(_ row: [String]) -> String { row.prefix(5).map { $0.isEmpty ? "–" : $0 }.joined(separator: ", ") }
        if ordered {
            var number = 0
            while problems.count < 10 {
                let a = theirs.next()
                let b = ours.next()
                if a == nil, b == nil { break }
                number += 1
                if a == b { continue }
                switch (a, b) {
                case (let a?, nil): problems.append("\(name) row \(number): \(show(a)) is not among \(what).")
                case (nil, let b?): problems.append("\(name): a row is missing at row \(number): \(show(b)) (from \(what)).")
                case (let a?, let b?): problems.append("\(name) row \(number): \(show(a)) differs from \(what): \(show(b)).")
                default: break
                }
            }
        } else {
            // Rows as one text each (cells joined by a separator no CSV cell written here holds).
            var counts: [String: Int] = [:]
            while let row = ours.next() { counts[row.joined(separator: "\u{1F}"), default: 0] += 1 }
            var number = 0
            while let row = theirs.next() {
                number += 1
                let key = row.joined(separator: "\u{1F}")
                if let count = counts[key], count > 0 {
                    counts[key] = count - 1
                } else if problems.count < 10 {
                    problems.append("\(name) row \(number): \(show(row)) is not among \(what).")
                }
            }
            for (key, count) in counts.sorted(by: { $0.key < $1.key }) where count > 0 && problems.count < 20 {
                let row = key.components(separatedBy: "\u{1F}")
                problems.append("\(name): a row is missing: \(show(row)) (from \(what)\(count > 1 ? ", \(count) times" : "")).")
            }
        }
        if problems.count >= 10 { problems.append("\(name): (further differences not listed)") }
        return problems
    }
}

/// The rows of a CSV file, read as a stream.
private final class CSVRows {
    private let reader: CSVReader

    init?(_ url: URL) {
        guard FileManager.default.isReadableFile(atPath: url.path), let stream = InputStream(url: url),
            let reader = try? CSVReader(stream: stream, hasHeaderRow: false)
        else { return nil }
        self.reader = reader
    }

    func next() -> [String]? { reader.next() }
}
