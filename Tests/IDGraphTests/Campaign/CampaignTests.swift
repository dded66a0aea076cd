import CSV
import Foundation
import GRDB
@testable import IDGraph
import IDGraphBrowser
import Testing

/// A small company whose accounts exercise every step of the reviewer chain.
struct CampaignFixture {
    var graph: GraphFixture
    let folder: URL

    static let now = GraphFixture.date("2025-07-01T09:00:00Z")

    static func make(fallback: [String] = ["boss@acme.com"]) async throws -> CampaignFixture {
        var graph = try await GraphFixture()
        try await graph.addRoster([
            person("boss@acme.com", name: "Boss"),
            person("mgr@acme.com", name: "Mia Manager", manager: "boss@acme.com"),
            person("ann@acme.com", name: "Ann", manager: "mgr@acme.com"),
            person("left@acme.com", name: "Left", manager: "boss@acme.com", status: "terminated", terminated: "2025-05-01"),
            person("bob@acme.com", name: "Bob", manager: "left@acme.com"),
            person("cat@acme.com", name: "Cat", manager: "ghost@acme.com"),
            person("owner@acme.com", name: "Olive Owner"),
            person("adminmgr@acme.com", name: "Adam", manager: "boss@acme.com"),
            person("eve@acme.com", name: "<script>alert('eve')</script>", manager: "adminmgr@acme.com"),
        ])
        let recent = GraphFixture.daysBefore(1)
        try await graph.addSource(
            "app", kind: .proofHub, approvedAdmins: ["adminmgr@acme.com", "eve@acme.com"],
            accounts: [
                account("a-ann", email: "ann@acme.com", lastSeen: recent),
                account("a-bob", email: "bob@acme.com", lastSeen: recent),
                account("a-cat", email: "cat@acme.com", lastSeen: recent),
                account("a-owner", email: "owner@acme.com", lastSeen: recent),
                account("a-adminmgr", email: "adminmgr@acme.com", role: "owner", admin: true, lastSeen: recent),
                account("a-eve", email: "eve@acme.com", name: "=HYPERLINK(\"http://x\")", role: "owner", admin: true, lastSeen: recent),
                account("a-x", email: "x@partner.example", name: "Partner X", lastSeen: recent),
            ],
            containers: [Container(containerID: "p1", type: .project, name: "Launch <\"Q3\">")],
            memberships: [Membership(containerID: "p1", accountID: "a-ann"), Membership(containerID: "p1", accountID: "a-eve")])
        if let index = graph.configuration.sources.firstIndex(where: { $0.name == "app" }) {
            graph.configuration.sources[index].reviewer = "owner@acme.com"
        }
        graph.configuration.fallbackReviewers = fallback
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-campaign-\(UUID().uuidString)")
        return CampaignFixture(graph: graph, folder: folder)
    }

    var store: GraphStore { graph.store }

    @discardableResult
    func start(_ name: String = "2025-Q3", due: String? = "2025-07-15", allowStale: String? = nil) async throws
        -> CampaignStart.Result
    {
        try await CampaignStart.run(
            store: store, configuration: graph.configuration, name: name, due: due, sources: [], allowStale: allowStale,
            now: Self.now)
    }

    /// Rows of a worksheet CSV, read with the CSV library.
    static func read(_ url: URL) throws -> [[String]] {
        let reader = try CSVReader(string: try String(contentsOf: url, encoding: .utf8), hasHeaderRow: false)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    /// Writes `rows` as CSV with the CSV library.
    static func write(_ rows: [[String]], to url: URL) throws {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        try data.write(to: url)
    }

    /// The worksheet of `reviewer`, written afresh.
    func worksheet(_ reviewer: String, campaign: String = "2025-Q3") async throws -> Worksheets.File {
        let files = try await Worksheets.write(store: store, campaign: campaign, to: folder)
        return try #require(files.first { $0.reviewer == reviewer })
    }

    /// How many decisions and events are stored.
    func counts() async throws -> [Int] {
        try await store.writer.read { db in
            [try Int.fetchOne(db, sql: "SELECT count(*) FROM decision") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign_event") ?? -1]
        }
    }
}

@Suite struct CampaignTests {
    @Test func everyReviewerRuleOfTheChain() async throws {
        let fixture = try await CampaignFixture.make()
        let result = try await fixture.start()
        let byAccount = Dictionary(uniqueKeysWithValues: result.items.map { ($0.accountID, $0) })
        func reviewer(_ id: String) -> String? { byAccount[id]?.reviewer }
        func reason(_ id: String) -> String { byAccount[id]?.reviewerReason ?? "" }
        #expect(reviewer("a-ann") == "mgr@acme.com")
        #expect(reason("a-ann") == "manager")
        // A terminated manager is passed over for the application owner.
        #expect(reviewer("a-bob") == "owner@acme.com")
        #expect(reason("a-bob").contains("manager left@acme.com is terminated in the roster"))
        // A manager missing from the roster likewise.
        #expect(reviewer("a-cat") == "owner@acme.com")
        #expect(reason("a-cat").contains("manager ghost@acme.com is not in the roster"))
        // The application owner does not review their own account: the fallback does.
        #expect(reviewer("a-owner") == "boss@acme.com")
        #expect(reason("a-owner").contains("application owner of app owner@acme.com is the account's own person"))
        // An admin of the source does not review an admin account of it.
        #expect(reviewer("a-eve") == "owner@acme.com")
        #expect(reason("a-eve").contains("manager adminmgr@acme.com is an admin of app and the account is an admin"))
        // No roster person: the application owner.
        #expect(reviewer("a-x") == "owner@acme.com")
        #expect(result.items.allSatisfy { $0.assignedReviewer == $0.reviewer })
        // The items carry their findings (eve's name is a formula; bob's manager left).
        #expect(byAccount["a-x"]?.findings.contains { $0.rule == "orphaned" } == true)
    }

    @Test func nobodyToReviewRefusesTheStart() async throws {
        let fixture = try await CampaignFixture.make(fallback: [])
        await #expect {
            try await fixture.start()
        } throws: { error in
            let message = (error as? CampaignError)?.description ?? ""
            return message.contains("1 accounts have nobody who can review them") && message.contains("a-owner")
                && message.contains("fallback_reviewer")
        }
        let campaigns = try await fixture.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign") }
        #expect(campaigns == 0)
    }

    @Test func staleSourceRefusesTheStartUnlessAReasonIsGiven() async throws {
        var fixture = try await CampaignFixture.make()
        try await fixture.graph.failSource("app", kind: .proofHub, error: "HTTP 503")
        await #expect(throws: CampaignError.self) { try await fixture.start() }
        let result = try await fixture.start(allowStale: "app was down; reviewed from the 06-29 collect")
        #expect(result.campaign.allowStale == "app was down; reviewed from the 06-29 collect")
        #expect(result.items.count == 7)
    }

    @Test func scopeIsFrozenAcrossALaterCollect() async throws {
        var fixture = try await CampaignFixture.make()
        let before = try await fixture.start()
        fixture.graph.snapshot = try await fixture.store.beginSnapshot(at: GraphFixture.date("2025-07-02T08:00:00Z"))
        try await fixture.graph.addSource(
            "app", kind: .proofHub, accounts: [account("a-new", email: "new@acme.com", role: "owner", admin: true)],
            collectedAt: "2025-07-02T08:00:00Z")
        let items = try await fixture.store.campaignItems(before.campaign.id)
        #expect(items == before.items)
        #expect(!items.contains { $0.accountID == "a-new" })
        #expect(items.allSatisfy { $0.fingerprint == $0.computeFingerprint() })
    }

    @Test func worksheetsReadBackWithTheCSVLibrary() async throws {
        let fixture = try await CampaignFixture.make()
        let started = try await fixture.start()
        let files = try await Worksheets.write(store: fixture.store, campaign: "2025-Q3", to: fixture.folder)
        #expect(Set(files.map(\.reviewer)) == ["mgr@acme.com", "owner@acme.com", "boss@acme.com"])
        #expect(files.reduce(0) { $0 + $1.items } == started.items.count)
        let owner = try #require(files.first { $0.reviewer == "owner@acme.com" })
        #expect(owner.csv.lastPathComponent.hasPrefix("worksheet-owner@acme.com-"))
        let rows = try CampaignFixture.read(owner.csv)
        #expect(rows.first == Worksheets.columns)
        let ids = rows.dropFirst().map { $0[2] }
        #expect(ids == started.items.filter { $0.reviewer == "owner@acme.com" }.map(\.accountID))
        let eve = try #require(rows.first { $0[2] == "a-eve" })
        #expect(eve[4] == "'=HYPERLINK(\"http://x\")")  // formula-safe
        #expect(eve[14] == "[\"Launch <\\\"Q3\\\">\"]")
        #expect(eve[19] == "" && eve[20] == "")
    }

    @Test func fileNamesAreSafeForAnyEmail() {
        let hostile = ["../../etc/passwd@x.com", "a/b\\c@x.com", "\u{202E}evil@x.com", String(repeating: "a", count: 300) + "@x.com", ".hidden@x.com"]
        let stems = hostile.map(Worksheets.fileStem(for:))
        for stem in stems {
            #expect(!stem.contains("/") && !stem.contains("\\") && !stem.contains("..") && stem.count < 90)
            #expect(stem.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 })
        }
        #expect(Set(stems).count == hostile.count)
        #expect(Worksheets.fileStem(for: "A@x.com") != Worksheets.fileStem(for: "a@x.com"))
    }

    /// Fills `reviewer`'s worksheet with `fill` (row → decision and reason) and imports it.
    static func fillAndImport(
        _ fixture: CampaignFixture, _ reviewer: String, name: String = "filled.csv",
        _ change: (inout [[String]]) -> Void
    ) async throws -> DecisionImport.FileResult {
        let sheet = try await fixture.worksheet(reviewer)
        var rows = try CampaignFixture.read(sheet.csv)
        change(&rows)
        let file = fixture.folder.appendingPathComponent(name)
        try CampaignFixture.write(rows, to: file)
        let results = try await DecisionImport.run(store: fixture.store, campaign: "2025-Q3", files: [file.path], now: CampaignFixture.now)
        return try #require(results.first)
    }

    static func decide(_ rows: inout [[String]], _ decision: String, _ reason: String = "") {
        for index in rows.indices.dropFirst() {
            rows[index][19] = decision
            rows[index][20] = reason
        }
    }

    @Test func decisionsAreStoredWithReviewerTimeAndFileHash() async throws {
        let fixture = try await CampaignFixture.make()
        try await fixture.start()
        let result = try await Self.fillAndImport(fixture, "owner@acme.com") { Self.decide(&$0, "revoke", "no longer needed") }
        #expect(result.problems == [])
        #expect(result.added == 4)
        let file = try Data(contentsOf: fixture.folder.appendingPathComponent("filled.csv"))
        let rows = try fixture.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decisions WHERE campaign = '2025-Q3' ORDER BY item")
        }
        #expect(rows.count == 4)
        for row in rows {
            #expect(row["decision"] == "revoke" && row["reviewer"] == "owner@acme.com")
            #expect(row["decided_at"] == "2025-07-01T09:00:00Z")
            #expect(row["file_sha256"] == sha256Hex(file))
            #expect((row["line"] as Int?) ?? 0 >= 2)
        }
        // The worksheet written again shows the decisions; importing it changes nothing.
        let again = try await Self.fillAndImport(fixture, "owner@acme.com", name: "again.csv") { _ in }
        #expect(again.added == 0 && again.unchanged == 4 && again.problems == [])
    }

    @Test func reimportingTheSameFileChangesNothing() async throws {
        let fixture = try await CampaignFixture.make()
        try await fixture.start()
        let first = try await Self.fillAndImport(fixture, "mgr@acme.com") { Self.decide(&$0, "keep", "needed") }
        #expect(first.added == 1)
        let before = try fixture.store.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM decision") }
        let file = fixture.folder.appendingPathComponent("filled.csv")
        let second = try await DecisionImport.run(store: fixture.store, campaign: "2025-Q3", files: [file.path], now: CampaignFixture.now.addingTimeInterval(60))
        #expect(second.first?.added == 0 && second.first?.unchanged == 1)
        let after = try fixture.store.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM decision") }
        #expect(before == after)
    }

    /// Each refusal names file and line, and stores nothing from the file.
    @Test(arguments: Refusal.allCases) func refusedFilesStoreNothing(refusal: Refusal) async throws {
        let fixture = try await CampaignFixture.make()
        try await fixture.start()
        if refusal == .closedCampaign {
            _ = try await CampaignProgress.close(store: fixture.store, campaign: "2025-Q3", undecided: "leave", now: CampaignFixture.now)
            let sheet = try await fixture.worksheet("owner@acme.com")
            let before = try await fixture.counts()
            await #expect {
                _ = try await DecisionImport.run(store: fixture.store, campaign: "2025-Q3", files: [sheet.csv.path])
            } throws: { error in
                (error as? CampaignError)?.description.contains("was closed") == true
            }
            #expect(try await fixture.counts() == before)
            return
        }
        let before = try await fixture.counts()
        let result = try await Self.fillAndImport(fixture, "owner@acme.com") { rows in
            Self.decide(&rows, "revoke", "not needed")
            refusal.apply(&rows)
        }
        #expect(result.added == 0)
        let problem = result.problems.joined(separator: "\n")
        #expect(problem.contains("filled.csv:\(refusal.line)"), "\(problem)")
        #expect(problem.contains(refusal.message), "\(problem)")
        #expect(try await fixture.counts() == before)
    }

    enum Refusal: CaseIterable, CustomTestStringConvertible {
        case unknownItem, duplicatedItem, editedColumn, editedFingerprint, otherReviewersItem, unknownDecision,
            missingReason, missingReasonToKeepAnAdmin, closedCampaign

        var testDescription: String { "\(self)" }

        var line: Int { self == .duplicatedItem ? 4 : 3 }

        var message: String {
            switch self {
            case .unknownItem: "item '999' is not an item of this campaign"
            case .duplicatedItem: "is listed twice (first on line 2)"
            case .editedColumn: "was changed in 'role'"
            case .editedFingerprint: "fingerprint does not match"
            case .otherReviewersItem: "is reviewed by owner@acme.com, not 'mgr@acme.com'"
            case .unknownDecision: "'remove' is not a decision"
            case .missingReason: "needs a reason for a revoke"
            case .missingReasonToKeepAnAdmin: "needs a reason for keeping an admin account"
            case .closedCampaign: ""
            }
        }

        func apply(_ rows: inout [[String]]) {
            switch self {
            case .unknownItem: rows[2][0] = "999"
            case .duplicatedItem: rows[3] = rows[1]
            case .editedColumn: rows[2][9] = "Admin"
            case .editedFingerprint: rows[2][18] = String(repeating: "0", count: 32)
            case .otherReviewersItem: rows[2][17] = "mgr@acme.com"
            case .unknownDecision: rows[2][19] = "remove"
            case .missingReason: rows[2][20] = ""
            case .missingReasonToKeepAnAdmin:
                // Row 3 (line 3) of owner's sheet is eve's admin account.
                let eve = rows.firstIndex { $0[2] == "a-eve" } ?? 2
                rows.swapAt(2, eve)
                rows[2][19] = "keep"
                rows[2][20] = " "
            case .closedCampaign: break
            }
        }
    }

    @Test func delegateMovesOpenItemsAndKeepsTheOnesTheDelegateCannotReview() async throws {
        let fixture = try await CampaignFixture.make()
        try await fixture.start()
        // Owner decides one item first: decided items stay with owner.
        _ = try await Self.fillAndImport(fixture, "owner@acme.com") { rows in
            Self.decide(&rows, "")
            let x = rows.firstIndex { $0[2] == "a-x" }!
            rows[x][19] = "revoke"
            rows[x][20] = "unknown partner"
        }
        let (moved, kept) = try await CampaignProgress.delegate(
            store: fixture.store, configuration: fixture.graph.configuration, campaign: "2025-Q3", from: "owner@acme.com",
            to: "adminmgr@acme.com", reason: "Olive is on leave", now: CampaignFixture.now)
        // bob and cat move; eve's admin account cannot go to an admin of app.
        #expect(moved == 2)
        #expect(kept.count == 1 && kept[0].why.contains("is an admin of app"))
        let items = try await fixture.store.campaignItems(try await fixture.store.campaign(named: "2025-Q3").id)
        let bob = try #require(items.first { $0.accountID == "a-bob" })
        #expect(bob.reviewer == "adminmgr@acme.com" && bob.assignedReviewer == "owner@acme.com")
        #expect(bob.reviewerReason.contains("Olive is on leave"))
        #expect(items.first { $0.accountID == "a-x" }?.reviewer == "owner@acme.com")
        // The old worksheet's rows of moved items are now another reviewer's.
        let stale = try await DecisionImport.run(
            store: fixture.store, campaign: "2025-Q3", files: [fixture.folder.appendingPathComponent("filled.csv").path])
        #expect(stale.first?.problems.contains { $0.contains("is reviewed by adminmgr@acme.com") } == true)
        await #expect(throws: CampaignError.self) {
            _ = try await CampaignProgress.delegate(
                store: fixture.store, configuration: fixture.graph.configuration, campaign: "2025-Q3", from: "owner@acme.com",
                to: "left@acme.com", reason: "x")
        }
    }

    @Test func closeDecidesOrLeavesTheRestAndStatusShowsIt() async throws {
        for undecided in ["keep", "leave"] {
            let fixture = try await CampaignFixture.make()
            try await fixture.start()
            _ = try await Self.fillAndImport(fixture, "mgr@acme.com") { Self.decide(&$0, "keep", "still on the team") }
            let due = try await CampaignProgress.report(store: fixture.store, campaign: "2025-Q3", now: GraphFixture.date("2025-07-16T00:00:01Z"))
            #expect(due.overdue && due.decided == 1 && due.assigned == 7)
            #expect(due.lines.first { $0.reviewer == "mgr@acme.com" }?.overdue == false)
            let open = try await CampaignProgress.close(store: fixture.store, campaign: "2025-Q3", undecided: undecided, now: CampaignFixture.now)
            #expect(open == 6)
            let report = try await CampaignProgress.report(store: fixture.store, campaign: "2025-Q3", now: CampaignFixture.now)
            #expect(report.campaign.status == "closed")
            #expect(report.decided == (undecided == "keep" ? 7 : 1))
            await #expect(throws: CampaignError.self) {
                _ = try await CampaignProgress.close(store: fixture.store, campaign: "2025-Q3", undecided: "keep")
            }
            let progress = try fixture.store.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM campaign_progress WHERE campaign = '2025-Q3' ORDER BY reviewer")
            }
            #expect(progress.reduce(0) { $0 + ($1["assigned"] as Int) } == 7)
        }
    }

    @Test func aCampaignNameIsUsedOnce() async throws {
        let fixture = try await CampaignFixture.make()
        try await fixture.start()
        await #expect {
            try await fixture.start()
        } throws: { error in
            (error as? CampaignError)?.description.contains("already exists") == true
        }
    }
}

func sha256Hex(_ data: Data) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try? process.run()
    input.fileHandleForWriting.write(data)
    try? input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
}

/// The worksheet page as a reviewer opens it.
@Suite struct WorksheetPageTests {
    @Test func hostileNamesAreTextInTheBrowser() async throws {
        guard let chromium = HeadlessChromium.find() else { return }
        let fixture = try await CampaignFixture.make()
        try await fixture.start()
        let sheet = try await fixture.worksheet("owner@acme.com")
        let html = try String(contentsOf: sheet.html, encoding: .utf8)
        let page = HTMLScanner(html)
        #expect(!page.tags.contains { $0.name == "script" || $0.name == "img" || $0.name == "a" || $0.name == "link" })
        #expect(page.tags.allSatisfy { tag in tag.attributes.allSatisfy { !$0.name.hasPrefix("on") } })
        #expect(html.contains("default-src 'none'"))
        let dom = try chromium.dumpDOM(sheet.html)
        let text = HTMLScanner(dom).texts.joined(separator: "\u{1}")
        #expect(text.contains("<script>alert('eve')</script>"))
        #expect(text.contains("=HYPERLINK(\"http://x\")"))
        #expect(text.contains("Launch <\"Q3\">"))
        #expect(text.contains("keep, revoke, modify or dont-know") || text.contains("dont-know"))
        #expect(!HTMLScanner(dom).tags.contains { $0.name == "script" })
        // One row per item of the reviewer.
        #expect(dom.components(separatedBy: "<tr>").count - 2 == sheet.items)
    }
}

@Suite struct CarryForwardTests {
    @Test func keepsCarryForwardOnlyForUnchangedPlainAccounts() async throws {
        var fixture = try await CampaignFixture.make()
        try await fixture.start()
        // Every item of Q3 is kept, with reasons where they are needed.
        for reviewer in ["owner@acme.com", "mgr@acme.com", "boss@acme.com"] {
            let result = try await CampaignTests.fillAndImport(fixture, reviewer, name: "\(reviewer).csv") {
                CampaignTests.decide(&$0, "keep", "still needed")
            }
            #expect(result.problems == [])
        }
        await #expect(throws: CampaignError.self) {
            try await CampaignStart.run(
                store: fixture.store, configuration: fixture.graph.configuration, name: "2025-Q4", due: nil, sources: [],
                allowStale: nil, carryForward: "2025-Q3", now: CampaignFixture.now)
        }
        _ = try await CampaignProgress.close(store: fixture.store, campaign: "2025-Q3", undecided: "leave", now: CampaignFixture.now)

        // The next collect: Ann joined a project; nothing else changed.
        fixture.graph.snapshot = try await fixture.store.beginSnapshot(at: GraphFixture.date("2025-09-29T08:00:00Z"))
        let later = GraphFixture.date("2025-09-28T10:00:00Z")
        try await fixture.graph.addSource(
            "app", kind: .proofHub,
            accounts: [
                account("a-ann", email: "ann@acme.com", lastSeen: later), account("a-bob", email: "bob@acme.com", lastSeen: later),
                account("a-cat", email: "cat@acme.com", lastSeen: later), account("a-owner", email: "owner@acme.com", lastSeen: later),
                account("a-adminmgr", email: "adminmgr@acme.com", role: "owner", admin: true, lastSeen: later),
                account("a-eve", email: "eve@acme.com", name: "=HYPERLINK(\"http://x\")", role: "owner", admin: true, lastSeen: later),
                account("a-x", email: "x@partner.example", name: "Partner X", lastSeen: later),
            ],
            containers: [Container(containerID: "p1", type: .project, name: "Launch <\"Q3\">"), Container(containerID: "p2", type: .project, name: "Q4")],
            memberships: [
                Membership(containerID: "p1", accountID: "a-ann"), Membership(containerID: "p2", accountID: "a-ann"),
                Membership(containerID: "p1", accountID: "a-eve"),
            ],
            collectedAt: "2025-09-29T08:02:00Z")
        let next = try await CampaignStart.run(
            store: fixture.store, configuration: fixture.graph.configuration, name: "2025-Q4", due: nil, sources: [],
            allowStale: nil, carryForward: "2025-Q3", now: GraphFixture.date("2025-10-01T09:00:00Z"))
        let decisions = try await fixture.store.latestDecisions(next.campaign.id)
        let byAccount = Dictionary(uniqueKeysWithValues: next.items.map { ($0.accountID, $0) })
        func carried(_ id: String) -> GraphStore.StoredDecision? { byAccount[id].flatMap { decisions[$0.item] } }
        let bob = try #require(byAccount["a-bob"])
        #expect(bob.findings.isEmpty)
        #expect(carried("a-bob")?.decision == .keep)
        #expect(carried("a-bob")?.reviewer == "owner@acme.com")
        #expect(carried("a-bob")?.reason?.hasPrefix("carried forward from 2025-Q3, kept by owner@acme.com") == true)
        #expect(carried("a-eve") == nil, "an admin is never carried forward")
        #expect(carried("a-adminmgr") == nil, "an admin is never carried forward")
        #expect(carried("a-x") == nil, "a flagged account is never carried forward")
        #expect(carried("a-ann") == nil, "a changed account is decided again")
        #expect(next.carried == decisions.count && next.carried >= 1)
        let row = try fixture.store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT carried_from, reviewer FROM decisions WHERE campaign = '2025-Q4' AND account_id = 'a-bob'")
        }
        #expect(row?["carried_from"] == "2025-Q3")
    }
}
