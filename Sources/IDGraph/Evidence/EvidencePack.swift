import Foundation
import GRDB

/// `idgraph evidence`: a folder an auditor can re-verify on their own machine
/// (the README, "Evidence for auditors").
///
/// Everything in it is derived from one read-only copy of the graph
/// (`graph.sqlite`, made with `VACUUM INTO`): the population per source, the
/// accounts and findings the review produced, its page, the rules' SQL and the
/// parameters exactly as they ran, the collect and review records, the request
/// journal, the campaign's decisions and the leavers, with `manifest.json`
/// giving the SHA-256 and size of each. The pack is verified as soon as it is
/// written (``EvidenceVerifier``).
public enum EvidencePack {
    /// Which review the pack is of.
    public enum Selection: Sendable, Hashable {
        /// The latest review recorded ok.
        case latestReview
        /// One review run, by id.
        case reviewRun(Int64)
        /// A campaign: its review, and its decisions.
        case campaign(String)
    }

    /// How to make a pack.
    public struct Options: Sendable {
        public var selection: Selection = .latestReview
        /// The folder to write; it must not exist or be empty.
        public var folder: URL
        /// Why an incomplete population is accepted, recorded in the manifest.
        public var acceptIncomplete: String?
        /// The leavers' period (`YYYY-MM-DD` days) and SLA, for `leavers.csv`.
        public var leavers: (from: String, to: String, slaDays: Int)?
        /// The idgraph version, for the manifest.
        public var toolVersion: String
        /// The command line that made the pack, for the manifest.
        public var commandLine: String
        /// When the pack is made.
        public var now = Date()
        /// Where each stage is announced (stderr on the command line).
        public var progress: @Sendable (String) -> Void = { _ in }

        public init(folder: URL, toolVersion: String, commandLine: String) {
            self.folder = folder
            self.toolVersion = toolVersion
            self.commandLine = commandLine
        }
    }

    /// What was made.
    public struct Result: Sendable {
        /// The manifest written.
        public var manifest: EvidenceManifest
        /// The SHA-256 of `manifest.json`, to hand the auditor separately.
        public var manifestSHA256: String
        /// The verification run on the pack just written.
        public var verification: EvidenceVerification
    }

    /// The database copy's name in the pack.
    public static let databaseFile = "graph.sqlite"

    /// Makes the pack of `options.selection` from `store` into `options.folder`.
    public static func make(store: GraphStore, configuration: Configuration, options: Options) async throws -> Result {
        let folder = options.folder
        try prepare(folder)
        do {
            return try await write(store: store, configuration: configuration, options: options)
        } catch {
            // No half-written pack is left to be mistaken for evidence.
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    private static func write(store: GraphStore, configuration: Configuration, options: Options) async throws -> Result {
        let folder = options.folder
        let databaseURL = folder.appendingPathComponent(databaseFile)
        // A wrong review run or campaign fails before the graph is copied.
        let (reviewID, campaignName) = try await resolve(options.selection, store: store)
        options.progress("Copying the graph (VACUUM INTO \(databaseFile))…")
        // The copy is one consistent read of the graph, whatever a writer does meanwhile.
        try await store.copy(to: databaseURL.path)
        let reviewed = try ReviewedGraph.make(copying: databaseURL, reviewRunID: reviewID, shownAs: databaseFile)
        defer { reviewed.remove() }
        let db = reviewed.database
        let review = try await db.read { try RecordedReview.read($0, id: reviewID, shownAs: databaseFile) }
        let files = PackFiles(folder: folder)

        // The review's own outputs, re-derived from the graph as it read it.
        options.progress("Writing the population, accounts, findings and page of review run \(reviewID)…")
        let population = try await db.read { try PopulationRow.rows($0, review: review) }
        try files.csv("population.csv", header: PopulationRow.header, rows: population.map(\.cells))
        try await writeOutputs(review, configuration: configuration, from: db, to: files, now: options.now)

        // What ran: the rules' SQL, the parameters, the runs of collect and review, the requests.
        let ruleFiles = RecordedReview.packFileNames(review.rules)
        for (rule, name) in zip(review.rules, ruleFiles) {
            try files.text("rules/\(name)", rule.sql)
        }
        try files.text("parameters.json", review.parametersJSON + "\n")
        try files.text("configuration.yaml", RedactedConfiguration.redact(try configurationText(configuration)))
        try await db.read { db in
            let runs = GraphStore.collectsOfReview
            let last = review.snapshotID ?? 0
            try files.csv(db, "collect-runs.csv", sql: "SELECT * FROM source_runs WHERE \(runs) ORDER BY snapshot_id, source", arguments: [last, reviewID])
            try files.csv(db, "requests.csv", sql: "SELECT * FROM request_journal WHERE \(runs) ORDER BY snapshot_id, source, seq", arguments: [last, reviewID])
            try files.csv(db, "review-run.csv", sql: "SELECT * FROM review_runs WHERE id = ?", arguments: [reviewID])
            try files.csv(db, "review-warnings.csv", sql: "SELECT value AS warning FROM json_each(?)", arguments: [Self.jsonArray(review.warnings)])
            if let campaignName {
                try files.csv(db, "decisions.csv", sql: DecisionsCSV.sql, arguments: [campaignName])
            }
        }
        var leaversPeriod: String?
        if let period = options.leavers {
            let report = try await LeaverReport.run(store: store, from: period.from, to: period.to, slaDays: period.slaDays, now: options.now)
            try files.text("leavers.csv", QueryFormat.csv.render(report.result))
            leaversPeriod = "\(period.from) to \(period.to), SLA \(period.slaDays) days"
        }

        // The manifest, over every file written.
        let incomplete = population.compactMap { row in row.incomplete.map { "source '\(row.source)': \($0)" } }
        var manifest = EvidenceManifest(
            toolVersion: options.toolVersion, createdAt: Timestamp.string(from: options.now),
            commands: ["evidence": options.commandLine, "verify": "idgraph evidence verify \(shellQuoted(folder.lastPathComponent))"],
            reviewRunID: reviewID, snapshotID: review.snapshotID, asOf: review.asOf, reviewStartedAt: review.startedAt,
            reviewFinishedAt: review.finishedAt, campaign: campaignName, sourceRuns: review.inputs,
            rules: zip(review.rules, ruleFiles).map { .init(rule: $0.rule, file: $1, status: $0.status) },
            leaversPeriod: leaversPeriod, complete: incomplete.isEmpty, incomplete: incomplete,
            acceptedIncomplete: incomplete.isEmpty ? nil : options.acceptIncomplete, files: [])
        manifest.files = try files.digests()
        let manifestData = try manifest.encoded()
        try files.data(EvidenceManifest.fileName, manifestData)
        try refuseSecrets(RedactedConfiguration.secrets(of: configuration), in: folder, files: manifest.files)

        options.progress("Verifying the pack as an auditor would…")
        let verification = try await EvidenceVerifier.verify(folder)
        return Result(manifest: manifest, manifestSHA256: Digest.sha256(manifestData), verification: verification)
    }

    /// The review run and campaign `selection` names, read from the live graph.
    private static func resolve(_ selection: Selection, store: GraphStore) async throws -> (Int64, String?) {
        try await store.reader.read { db in
            switch selection {
            case .latestReview:
                guard let id = try GraphStore.latestFinishedReview(db) else {
                    throw EvidenceError(store.path, "No review has been recorded. Run 'idgraph review --config F' first; the pack is of a review.", exitStatus: .usage)
                }
                return (id, nil)
            case .reviewRun(let id):
                guard try GraphStore.reviewRun(db, id: id) != nil else {
                    throw EvidenceError(store.path, "There is no review run \(id). 'idgraph query --db DB \"SELECT id, as_of, status FROM review_runs\"' lists them.", exitStatus: .usage)
                }
                return (id, nil)
            case .campaign(let name):
                guard let recorded = try GraphStore.campaignReviewRun(db, name: name) else {
                    let names = try GraphStore.campaignNames(db)
                    throw EvidenceError(
                        store.path,
                        "There is no campaign '\(name)'. \(names.isEmpty ? "No campaign has been started." : "The campaigns are: \(names.joined(separator: ", ")).")",
                        exitStatus: .usage)
                }
                guard let id = recorded else {
                    throw EvidenceError(store.path, "Campaign '\(name)' records no review run, so its findings cannot be re-derived.", exitStatus: .usage)
                }
                return (id, name)
            }
        }
    }

    /// Writes the files of `review` from `db` with the outputs `idgraph review` wrote them with:
    /// `findings.csv`, `accounts.csv` and `access-review.html`.
    private static func writeOutputs(
        _ review: RecordedReview, configuration: Configuration, from db: DatabaseQueue, to files: PackFiles, now: Date
    ) async throws {
        let accounts = try await db.read { db in
            try GraphStore.currentAccountCount(db)
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-evidence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = ReviewOutputInput(
            reader: db, configuration: configuration, now: now, compact: accounts > AccessReviewHTML.compactThreshold,
            campaign: nil, accountsBlock: scratch.appendingPathComponent("accounts.block"))
        do throws(ReviewPipeline.Failure) {
            _ = try await ReviewPipeline().run(
                input, rules: { _ in try await db.read { try review.outcome($0) } }, url: { files.url($0.fileName) })
        } catch {
            switch error {
            case .rules(let error), .output(_, let error, _): throw error
            }
        }
    }

    /// The configuration file's text.
    private static func configurationText(_ configuration: Configuration) throws -> String {
        do {
            return try String(contentsOf: configuration.file, encoding: .utf8)
        } catch {
            throw EvidenceError(configuration.file.path, "The configuration file cannot be read (\(error.localizedDescription)).")
        }
    }

    /// The folder a pack goes to: created, or an empty one.
    private static func prepare(_ folder: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            guard isFolder.boolValue, entries.isEmpty else {
                throw EvidenceError(folder.path, "\(isFolder.boolValue ? "The folder is not empty" : "A file has this name"): a pack is written once, into a new folder. Choose another --out.", exitStatus: .usage)
            }
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw EvidenceError(folder.path, "The folder cannot be created (\(error.localizedDescription)). Choose another --out.", exitStatus: .usage)
        }
    }

    /// Fails, naming the file, when any credential of the configuration is in any file of the pack.
    private static func refuseSecrets(_ secrets: [String], in folder: URL, files: [EvidenceManifest.File]) throws {
        guard !secrets.isEmpty else { return }
        let needles = secrets.map { Data($0.utf8) }
        for file in files.map(\.path) + [EvidenceManifest.fileName] {
            let url = folder.appendingPathComponent(file)
            guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else { continue }
            if needles.contains(where: { data.range(of: $0) != nil }) {
                throw EvidenceError(url.path, "A credential of the configuration is written in this file, so the pack was not kept. Report this to the idgraph maintainers; no pack was written.")
            }
        }
    }

    private static func jsonArray(_ values: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(values), as: UTF8.self)) ?? "[]"
    }

    private static func shellQuoted(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "/._-".contains($0) } ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// `decisions.csv`: every item of the campaign with its latest decision (empty when none).
enum DecisionsCSV {
    static let sql = """
        SELECT i.item, i.source, i.account_id, i.email, i.person_email, i.reviewer, i.fingerprint, i.decision,
               i.reason, i.decided_by, i.decided_at, d.file, d.file_sha256, d.line, d.carried_from
        FROM campaign_items i
        LEFT JOIN decisions d ON d.campaign = i.campaign AND d.item = i.item
        WHERE i.campaign = ?
        ORDER BY i.item
        """
}

/// The files of a pack being written, by their path inside it.
struct PackFiles {
    let folder: URL

    func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

    func data(_ path: String, _ data: Data) throws {
        let url = url(path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        } catch {
            throw EvidenceError(url.path, "The file cannot be written (\(error.localizedDescription)). Check the disk and the folder's permissions.")
        }
    }

    func text(_ path: String, _ text: String) throws { try data(path, Data(text.utf8)) }

    func csv(_ path: String, header: [String], rows: [[String?]]) throws {
        let file = try CSVFile(url: url(path), header: header)
        for row in rows { try file.write(row) }
        try file.close()
    }

    /// Writes the rows of `sql` with its column names as the header.
    func csv(_ db: Database, _ path: String, sql: String, arguments: StatementArguments) throws {
        let statement = try db.makeStatement(sql: sql)
        let columns = statement.columnNames
        let file = try CSVFile(url: url(path), header: columns)
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() { try file.write(row, columns: columns.count) }
        try file.close()
    }

    /// The SHA-256 and size of every file in the folder but the manifest, sorted by path.
    func digests() throws -> [EvidenceManifest.File] {
        try Self.paths(in: folder).filter { $0 != EvidenceManifest.fileName }.map { path in
            let (sha256, bytes) = try Digest.sha256(file: folder.appendingPathComponent(path))
            return EvidenceManifest.File(path: path, bytes: bytes, sha256: sha256)
        }
    }

    /// Every regular file below `folder`, as relative paths with `/`, sorted.
    static func paths(in folder: URL) throws -> [String] {
        let base = folder.standardizedFileURL.path
        var paths: [String] = []
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            var path = url.standardizedFileURL.path
            if path.hasPrefix(base) { path.removeFirst(base.count) }
            while path.hasPrefix("/") { path.removeFirst() }
            paths.append(path)
        }
        return paths.sorted()
    }
}
