import Foundation
import Testing

@testable import IDGraph

/// Leavers, proven per app, over the stored history of a small company.
@Suite struct LeaverReportTests {
    /// Three weekly-ish collects (2025-06-02, 06-09 and 06-30, 08:00 UTC) of a roster, ProofHub and Streak;
    /// Procore only in the first. The leavers:
    /// - bob (terminated 06-03): removed from ProofHub and deactivated in Streak by the 06-09 collect (in
    ///   time); his Procore account was never collected again;
    /// - cat (05-20, dropped from the last roster): still in ProofHub on 06-02, after her deadline (late);
    /// - dan (06-05): still in ProofHub on 06-30 (never removed);
    /// - eve (06-06): in Streak on 06-09, gone on 06-30: three weeks apart around her deadline;
    /// - gus (06-04): no account anywhere; hal (06-27): still in ProofHub, deadline not reached.
    /// Not leavers of the period: fay (terminated 04-01) and ivy (terminated 06-01, re-hired by 06-30).
    static func company() async throws -> GraphFixture {
        var graph = try await GraphFixture(startedAt: GraphFixture.date("2025-06-02T08:00:00Z"))
        let everyone = ["ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal", "ivy"]
        func roster(_ terminated: [String: String], dropped: Set<String> = [], rehired: Set<String> = []) -> [Person] {
            everyone.filter { !dropped.contains($0) }.map { name in
                let day = terminated[name]
                return person(
                    "\(name)@acme.com", name: name.capitalized, status: day == nil || rehired.contains(name) ? "active" : "terminated",
                    terminated: day)
            }
        }
        func accounts(_ ids: [String], inactive: Set<String> = []) -> [Account] {
            ids.map { account("\($0)-id", email: "\($0)@Acme.com", status: inactive.contains($0) ? .inactive : .active) }
        }
        let team = [Container(containerID: "t1", type: .group, name: "Sales")]

        // 2025-06-02: everyone still has access; cat was terminated on 05-20, fay on 04-01.
        try await graph.addRoster(roster(["cat": "2025-05-20", "fay": "2025-04-01"]), collectedAt: "2025-06-02T08:00:30Z")
        try await graph.addSource(
            "proofhub", kind: .proofHub, accounts: accounts(["ann", "bob", "cat", "dan", "fay", "hal", "ivy"]),
            collectedAt: "2025-06-02T08:01:00Z")
        try await graph.addSource(
            "streak", kind: .streak, accounts: accounts(["ann", "bob", "eve"]), containers: team,
            memberships: [Membership(containerID: "t1", accountID: "bob-id")], collectedAt: "2025-06-02T08:02:00Z")
        try await graph.addSource("procore", kind: .procore, accounts: accounts(["ann", "bob"]), collectedAt: "2025-06-02T08:03:00Z")

        // 2025-06-09: bob is gone from ProofHub and deactivated in Streak (still in its team); so is cat.
        graph.snapshot = try await graph.store.beginSnapshot(at: GraphFixture.date("2025-06-09T08:00:00Z"))
        let june9 = ["cat": "2025-05-20", "fay": "2025-04-01", "bob": "2025-06-03", "gus": "2025-06-04", "dan": "2025-06-05",
                     "eve": "2025-06-06", "ivy": "2025-06-01"]
        try await graph.addRoster(roster(june9), collectedAt: "2025-06-09T08:00:30Z")
        try await graph.addSource(
            "proofhub", kind: .proofHub, accounts: accounts(["ann", "dan", "fay", "hal", "ivy"]), collectedAt: "2025-06-09T08:01:00Z")
        try await graph.addSource(
            "streak", kind: .streak, accounts: accounts(["ann", "bob", "eve"], inactive: ["bob"]), containers: team,
            memberships: [Membership(containerID: "t1", accountID: "bob-id")], collectedAt: "2025-06-09T08:02:00Z")

        // 2025-06-30: eve is gone from Streak; dan is still in ProofHub; cat left the roster; ivy is back.
        graph.snapshot = try await graph.store.beginSnapshot(at: GraphFixture.date("2025-06-30T08:00:00Z"))
        var june30 = june9
        june30["hal"] = "2025-06-27"
        try await graph.addRoster(roster(june30, dropped: ["cat"], rehired: ["ivy"]), collectedAt: "2025-06-30T08:00:30Z")
        try await graph.addSource(
            "proofhub", kind: .proofHub, accounts: accounts(["ann", "dan", "fay", "hal", "ivy"]), collectedAt: "2025-06-30T08:01:00Z")
        try await graph.addSource(
            "streak", kind: .streak, accounts: accounts(["ann", "bob"], inactive: ["bob"]), collectedAt: "2025-06-30T08:02:00Z")
        return graph
    }

    static let july1 = GraphFixture.date("2025-07-01T00:00:00Z")

    @Test func oneLeaverRemovedInTimeOneLateAndOneNever() async throws {
        let graph = try await Self.company()
        let report = try await LeaverReport.run(store: graph.store, from: "2025-05-01", to: "2025-06-30", now: Self.july1)
        #expect(report.lines.map { "\($0.personEmail) \($0.source) \($0.verdict.rawValue)" } == [
            "cat@acme.com proofhub missed",
            "bob@acme.com procore unknown",
            "bob@acme.com proofhub met",
            "bob@acme.com streak met",
            "dan@acme.com proofhub still-has-access",
            "eve@acme.com streak unknown",
            "hal@acme.com proofhub still-has-access",
        ])
        #expect(report.leavers == 6 && report.withoutAccounts == 1)
        #expect(report.overdue)
        func line(_ person: String, _ source: String) throws -> LeaverReport.Line {
            try #require(report.lines.first { $0.personEmail == "\(person)@acme.com" && $0.source == source })
        }

        // In time: gone from ProofHub by 06-09, before the end of 06-10 (06-03 + 7 days).
        let met = try line("bob", "proofhub")
        #expect(met.accountID == "bob-id" && met.name == "Bob" && met.terminationDate == "2025-06-03")
        #expect(met.lastWithAccess?.snapshotID == 1 && met.lastWithAccess?.collectedAt == "2025-06-02T08:01:00Z")
        #expect(met.firstWithoutAccess?.snapshotID == 2 && met.firstWithoutAccess?.collectedAt == "2025-06-09T08:01:00Z")
        #expect(met.removedWithin == "between 2025-06-02T08:01:00Z and 2025-06-09T08:01:00Z")
        #expect(met.deadline == "2025-06-10" && met.note == "gone from proofhub" && !met.overdue)
        // Deactivated counts as removed, and the note says what it still holds.
        #expect(try line("bob", "streak").note == "deactivated, still a member of 1 group or project")

        // Late: still in ProofHub on 06-02, after the end of 05-27.
        let missed = try line("cat", "proofhub")
        #expect(missed.deadline == "2025-05-27" && missed.overdue)
        #expect(missed.removedWithin == "between 2025-06-02T08:01:00Z and 2025-06-09T08:01:00Z")
        #expect(missed.note == "gone from proofhub; still had access 5.3 days after the deadline")

        // Never: the latest collect, after the deadline, still shows access.
        let never = try line("dan", "proofhub")
        #expect(never.lastWithAccess?.snapshotID == 3 && never.firstWithoutAccess == nil && never.removedWithin == nil)
        #expect(never.overdue && never.note == "missed: the latest collect, 17.3 days after the deadline, still shows access")

        // Too far apart: access on 06-09, none on 06-30, the deadline (end of 06-13) between them.
        let apart = try line("eve", "streak")
        #expect(apart.lastWithAccess?.snapshotID == 2 && apart.firstWithoutAccess?.snapshotID == 3 && !apart.overdue)
        #expect(apart.note == "access at 2025-06-09T08:02:00Z and none at 2025-06-30T08:02:00Z, 21 days apart on either side of the deadline: collect streak at least every 7 days to tell")

        // Procore was collected on 06-02 only: nothing since bob's termination.
        let uncollected = try line("bob", "procore")
        #expect(uncollected.lastWithAccess?.snapshotID == 1 && uncollected.firstWithoutAccess == nil && !uncollected.overdue)
        #expect(uncollected.note == "no collect of procore since the termination; the last, at 2025-06-02T08:03:00Z, showed access")

        // Before the deadline, still-has-access is pending; once it passes, overdue.
        let pending = try line("hal", "proofhub")
        #expect(pending.deadline == "2025-07-04" && !pending.overdue && pending.note == "pending: the deadline is 2025-07-04")
        let later = try await LeaverReport.run(
            store: graph.store, from: "2025-06-27", to: "2025-06-27", now: GraphFixture.date("2025-07-05T00:00:00Z"))
        #expect(later.lines.count == 1 && later.lines[0].overdue && later.lines[0].note.hasPrefix("past the deadline"))

        #expect(report.summary == "6 leavers terminated from 2025-05-01 to 2025-06-30, 7 accounts (SLA 7 days): 2 met, 1 missed, 2 unknown, 2 still-has-access (1 past the deadline); 1 with no account in any source.")
    }

    @Test func thePeriodAndTheSLAChooseWhatIsJudged() async throws {
        let graph = try await Self.company()
        // Only fay was terminated in April: ProofHub still shows her, long after the deadline.
        let april = try await LeaverReport.run(store: graph.store, from: "2025-04-01", to: "2025-04-30", now: Self.july1)
        #expect(april.lines.map(\.personEmail) == ["fay@acme.com"] && april.lines[0].verdict == .stillHasAccess)
        // ivy, terminated on 06-01 but active in the latest roster that lists her, is no leaver.
        let june1 = try await LeaverReport.run(store: graph.store, from: "2025-06-01", to: "2025-06-01", now: Self.july1)
        #expect(june1.leavers == 0 && june1.lines.isEmpty && !june1.overdue)
        // With a day's SLA bob's removal (found on 06-09, deadline the end of 06-04) can no longer be proven.
        let strict = try await LeaverReport.run(store: graph.store, from: "2025-06-03", to: "2025-06-03", slaDays: 1, now: Self.july1)
        let proofhub = try #require(strict.lines.first { $0.source == "proofhub" })
        #expect(proofhub.verdict == .unknown && proofhub.deadline == "2025-06-04")
        #expect(proofhub.note.hasSuffix("collect proofhub at least daily to tell"))
    }

    @Test func leaversCSVHoldsTheColumnsAndOneRowPerAccount() async throws {
        let graph = try await Self.company()
        let report = try await LeaverReport.run(store: graph.store, from: "2025-05-01", to: "2025-06-30", now: Self.july1)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leavers-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try LeaversCSV.write(report, to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        let rows = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first == LeaverReport.columns.joined(separator: ","))
        #expect(rows.count == 1 + report.lines.count)
        #expect(rows.contains("bob@acme.com,Bob,2025-06-03,proofhub,bob-id,1,2025-06-02T08:01:00Z,2,2025-06-09T08:01:00Z,between 2025-06-02T08:01:00Z and 2025-06-09T08:01:00Z,2025-06-10,met,gone from proofhub"))
        // The same rows as the command's csv output.
        #expect(QueryFormat.csv.render(report.result) == text)
    }
}
