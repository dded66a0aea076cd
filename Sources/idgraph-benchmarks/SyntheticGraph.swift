import Foundation
import IDGraph
import IDGraphBrowser

#if canImport(Glibc)
import Glibc
#endif

/// A large graph written straight into a store: a roster of `people` and five
/// sources whose accounts cover most of them, plus contractors, leavers,
/// invitations and deactivated accounts, so every rule has work to do.
struct SyntheticGraph {
    var people: Int
    var accountsPerSource: Int
    var membershipsPerAccount = 3
    var asOf = Date(timeIntervalSince1970: 1_750_000_000)

    static let sources: [(String, SourceKind)] = [
        ("process-street", .processStreet), ("proofhub", .proofHub), ("streak", .streak),
        ("processmaker", .processMaker), ("procore", .procore),
    ]

    func configuration(folder: URL) -> Configuration {
        var sources = [SourceConfiguration(name: "hr", kind: .roster)]
        for (name, kind) in Self.sources {
            var source = SourceConfiguration(name: name, kind: kind)
            source.approvedAdmins = (0..<20).map { "person\($0)@acme.com" }
            sources.append(source)
        }
        return Configuration(file: folder.appendingPathComponent("idgraph.yaml"), sources: sources)
    }

    /// Writes the graph; returns the number of accounts.
    func write(into store: GraphStore) async throws -> Int {
        let canonicalizer = EmailCanonicalizer()
        let snapshot = try await store.beginSnapshot()
        let roster = try await store.beginSourceRun(snapshot: snapshot, source: "hr", kind: .roster)
        var batch: [Person] = []
        for i in 0..<people {
            batch.append(Person(
                email: "person\(i)@acme.com", givenEmail: "person\(i)@acme.com", name: "Person \(i)",
                department: "Dept \(i % 40)", managerEmail: "person\(i / 12)@acme.com",
                status: i % 25 == 0 ? "terminated" : "active", terminationDate: i % 25 == 0 ? "2025-01-31" : nil, line: i + 2))
            if batch.count == 5_000 {
                try await store.insert(batch, run: roster)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await store.insert(batch, run: roster)
        try await store.completeSourceRun(roster, stats: SourceRunStats(), seconds: 0)

        var total = 0
        for (index, (name, kind)) in Self.sources.enumerated() {
            let run = try await store.beginSourceRun(snapshot: snapshot, source: name, kind: kind)
            let groups = max(accountsPerSource / 200, 10)
            try await store.insert(
                (0..<groups).map { Container(containerID: "c\($0)", type: .group, name: "Group <\($0)> & \"team\"") }, run: run)
            var accounts: [Account] = []
            var memberships: [Membership] = []
            for n in 0..<accountsPerSource {
                let person = (n * 7 + index * 13) % (people + people / 20)  // some beyond the roster: unknown emails
                let status: AccountStatus = n % 17 == 0 ? .inactive : (n % 53 == 0 ? .invited : .active)
                let seenDaysAgo = Double((n * 31) % 400)
                let id = "\(name)-\(n)"
                accounts.append(Account(
                    accountID: id, email: "Person\(person)@ACME.com", name: "Person \(person)", role: n % 40 == 0 ? "admin" : "member",
                    isAdmin: n % 40 == 0, status: status,
                    lastSeen: kind.descriptor?.exposes.activity == true ? asOf.addingTimeInterval(-seenDaysAgo * 86_400) : nil,
                    created: asOf.addingTimeInterval(-Double(400 + n % 300) * 86_400)))
                for k in 0..<membershipsPerAccount {
                    memberships.append(Membership(containerID: "c\((n + k * 101) % groups)", accountID: id, role: "member"))
                }
                if accounts.count == 1_000 {
                    try await store.insert(accounts, run: run, canonicalizer: canonicalizer)
                    try await store.insert(memberships, run: run)
                    total += accounts.count
                    accounts.removeAll(keepingCapacity: true)
                    memberships.removeAll(keepingCapacity: true)
                }
            }
            try await store.insert(accounts, run: run, canonicalizer: canonicalizer)
            try await store.insert(memberships, run: run)
            total += accounts.count
            try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0)
        }
        try await store.finishSnapshot(snapshot, status: .ok)
        return total
    }
}

/// Rules and reports on a large synthetic graph, each part timed.
struct ReviewBenchmark {
    var people: Int
    var accountsPerSource: Int
    /// Where to keep the graph between runs; a temporary file when `nil`.
    var graphPath: String?

    func run() async throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-review-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let graph = SyntheticGraph(people: people, accountsPerSource: accountsPerSource)
        let path = graphPath ?? folder.appendingPathComponent("graph.sqlite").path
        let reused = graphPath != nil && FileManager.default.fileExists(atPath: path)
        let store = try GraphStore.open(path: path)
        let writeStart = ContinuousClock.now
        let accounts = reused
            ? try await store.reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM accounts") ?? 0 }
            : try await graph.write(into: store)
        let writeSeconds = (ContinuousClock.now - writeStart).seconds

        // Peak RSS of the review alone: the peak starts over just before it.
        let peakBeforeReview = PeakMemory.ofThisProcessKiB() ?? 0
        PeakMemory.resetThisProcess()
        let cpuBefore = Self.cpuSeconds()
        let start = ContinuousClock.now
        let result = try await ReviewReport.run(
            store: store, configuration: graph.configuration(folder: folder), asOf: graph.asOf,
            outputDirectory: folder.appendingPathComponent("out"))
        let total = (ContinuousClock.now - start).seconds
        let cpu = Self.cpuSeconds() - cpuBefore
        let peak = PeakMemory.ofThisProcessKiB() ?? 0
        let html = try FileManager.default.attributesOfItem(atPath: result.html.path)[.size] as? Int ?? 0
        var lines = [
            String(format: "| review | %@ synthetic graph: %d people, %d accounts | | %.2f s | |",
                reused ? "reuse" : "write", people, accounts, writeSeconds),
        ]
        for rule in result.outcome.ruleRuns {
            lines.append(String(format: "| review | rule %@ (%d findings) | | %.2f s | |", rule.rule, rule.findings, rule.seconds))
        }
        for stage in result.stages {
            lines.append(String(format: "| review | stage: %@ | | %.2f s | |", stage.name, stage.seconds))
        }
        lines.append(String(format: "| review | rules + findings.csv + accounts.csv + HTML (%.1f MB) | %.0f accounts/s | %.2f s | goal ≤ %@ |",
            Double(html) / 1_048_576, Double(accounts) / total, total, accounts > 600_000 ? "30 s" : "5 s"))
        lines.append(String(format: "| review | CPU time of the review, all threads (steadier than wall time on a busy machine) | | %.2f s | |", cpu))
        lines.append(String(format: "| review | peak RSS of the review (VmHWM reset before it; %.0f MiB before) | | %.0f MiB | goal ≤ 512 MiB at 1,000,000 accounts |",
            Double(peakBeforeReview) / 1024, Double(peak) / 1024))
        if let load = Self.chromiumLoad(result.html) {
            lines.append(String(format: "| review | HTML in headless chromium: rendered at %@ ms (page's performance.now()) | | %.2f s process | a few seconds |",
                load.renderedMilliseconds ?? "?", load.seconds))
            for (action, result) in load.interactions {
                lines.append("| review | HTML in headless chromium: \(action) | \(result) | | interactive |")
            }
        }
        return lines
    }

    /// User and system CPU time of the process so far, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Opens `html` in headless chromium: the wall time of the process, the
    /// `data-rendered-ms` the page's script records when its first rows are on
    /// screen (absent for a small page, whose rows are plain HTML), and how
    /// long the access list's filters, search and sort take, driven by a
    /// script added to a copy of the page.
    static func chromiumLoad(_ html: URL)
        -> (seconds: Double, renderedMilliseconds: String?, interactions: [(String, String)])?
    {
        guard let chromium = HeadlessChromium.installed(),
            var page = try? Data(contentsOf: html),
            let end = page.lastRange(of: Data("</body>".utf8))
        else { return nil }
        page.replaceSubrange(end.lowerBound..<end.lowerBound, with: Data(interactionDriver.utf8))
        let instrumented = html.deletingLastPathComponent().appendingPathComponent("instrumented.html")
        guard (try? page.write(to: instrumented)) != nil else { return nil }
        page = Data()
        defer { try? FileManager.default.removeItem(at: instrumented) }
        let start = ContinuousClock.now
        guard let data = try? chromium.serializedDOM(instrumented, width: nil, virtualTime: .seconds(60), timeout: nil)
        else { return nil }
        let seconds = (ContinuousClock.now - start).seconds
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        var rendered: String?
        if let range = head.range(of: "data-rendered-ms=\"") {
            rendered = String(head[range.upperBound...].prefix { $0.isNumber })
        }
        var interactions: [(String, String)] = []
        let tail = String(decoding: data.suffix(8192), as: UTF8.self)
        if let open = tail.range(of: "<pre id=\"idgraph-bench\">"),
            let close = tail.range(of: "</pre>", range: open.upperBound..<tail.endIndex)
        {
            for line in tail[open.upperBound..<close.lowerBound].split(separator: "\n") {
                let parts = line.split(separator: "\t", maxSplits: 1)
                if parts.count == 2 { interactions.append((String(parts[0]), String(parts[1]))) }
            }
        }
        return (seconds, rendered, interactions)
    }

    /// Times the access list's controls, as a reviewer would use them, and
    /// writes one line per action (what, tab, milliseconds and rows shown).
    static let interactionDriver = """
        <script>
        (function () {
          var count = document.getElementById("access-count");
          if (!count) { return; }
          var lines = [];
          function set(id, value) {
            var control = document.getElementById(id);
            if (control.type === "checkbox") { control.checked = value; } else { control.value = value; }
            control.dispatchEvent(new Event(control.type === "search" ? "input" : "change"));
          }
          function time(label, action) {
            var start = performance.now();
            action();
            lines.push(label + "\\t" + Math.round(performance.now() - start) + " ms, " + count.textContent);
          }
          time("search an email (the first search indexes the rows)", function () { set("access-search", "person4242@"); });
          time("search another email", function () { set("access-search", "person777@"); });
          time("clear the search", function () { set("access-search", ""); });
          time("filter one source", function () { set("access-source", "procore"); });
          time("flagged accounts only", function () { set("access-flagged", true); });
          time("admins only", function () { set("access-admins", true); });
          time("sort by account", function () { document.querySelectorAll("#access-table th button.sort")[3].click(); });
          var pre = document.createElement("pre");
          pre.id = "idgraph-bench";
          pre.textContent = lines.join("\\n");
          document.body.appendChild(pre);
        }());
        </script>
        """
}
