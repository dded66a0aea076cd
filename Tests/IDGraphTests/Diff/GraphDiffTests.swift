import Foundation
import Testing

@testable import IDGraph

/// `idgraph diff` on small graphs of two snapshots.
@Suite struct GraphDiffTests {
    static let later = GraphFixture.date("2025-07-30T08:00:00Z")

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-diff-\(UUID().uuidString)")
    }

    /// The roster and the `app` source as snapshot 1 holds them.
    static let roster1 = [
        person("boss@acme.com"),
        person("ann@acme.com", manager: "boss@acme.com"),
        person("term@acme.com", manager: "boss@acme.com"),
        person("mover@acme.com", manager: "boss@acme.com"),
        person("gone@acme.com", manager: "boss@acme.com"),
        person("back@acme.com", status: "terminated", terminated: "2025-01-31"),
    ]

    static let accounts1 = [
        account("a-stay", email: "ann@acme.com", role: "member"),
        account("a-leave", email: "gone@acme.com", role: "member"),
        account("a-react", email: "react@acme.com", status: .inactive),
        account("a-deact", email: "deact@acme.com"),
        account("a-invite", email: "invite@acme.com", status: .invited),
        account("a-promote", email: "promote@acme.com"),
        account("a-demote", email: "demote@acme.com", admin: true),
        account("a-role", email: "role@acme.com", role: "member"),
        account("a-email", email: "old@acme.com"),
        account("a-madd", email: "madd@acme.com"),
        account("a-mrem", email: "mrem@acme.com"),
    ]

    /// Two snapshots of the same company; `second` changes what snapshot 2 collects.
    static func twoSnapshots(
        second: (inout [Person], inout [Account], inout [Container], inout [Membership]) -> Void = { _, _, _, _ in }
    ) async throws -> GraphFixture {
        var fixture = try await GraphFixture()
        var people = roster1, accounts = accounts1
        var containers = [Container(containerID: "p1", type: .project, name: "Launch"), Container(containerID: "p2", type: .group, name: "Ops")]
        var memberships = [Membership(containerID: "p1", accountID: "a-stay"), Membership(containerID: "p1", accountID: "a-mrem")]
        try await fixture.addRoster(people)
        try await fixture.addSource("app", kind: .proofHub, accounts: accounts, containers: containers, memberships: memberships)
        fixture.snapshot = try await fixture.store.beginSnapshot(at: later)
        second(&people, &accounts, &containers, &memberships)
        try await fixture.addRoster(people)
        try await fixture.addSource("app", kind: .proofHub, accounts: accounts, containers: containers, memberships: memberships)
        return fixture
    }

    @Test func identicalSnapshotsGiveAnEmptyDiffAndSaySo() async throws {
        let fixture = try await Self.twoSnapshots()
        for (from, to) in [(1, 1), (1, 2), (2, 1)] as [(Int64, Int64)] {
            let diff = try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .snapshot(from), to: to)
            #expect(diff.changes.isEmpty, "\(from) → \(to): \(diff.changes)")
            #expect(diff.headline == "No changes between snapshot \(from) and snapshot \(to).")
            #expect(diff.notes.isEmpty)
        }
        let diff = try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .snapshot(1))
        #expect(diff.to == 2)
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try diff.write(to: folder)
        #expect(files.map(\.lastPathComponent) == ["diff.csv", "diff.html"])
        #expect(try String(contentsOf: files[0], encoding: .utf8)
            == "change,source,account_id,email,person_email,container,before,after,decision,reason,decided_by\r\n")
        let html = try String(contentsOf: files[1], encoding: .utf8)
        #expect(html.contains("No changes between snapshot 1 and snapshot 2."))
        #expect(!html.contains("<table"))
        let json = try diff.write(to: folder, json: true)
        #expect(json.map(\.lastPathComponent) == ["diff.json", "diff.html"])
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: json[0])) as? [String: Any]
        #expect((document?["changes"] as? [Any])?.isEmpty == true)
    }

    @Test func everyKindOfChangeIsFoundExactlyOnce() async throws {
        var fixture = try await Self.twoSnapshots { people, accounts, containers, memberships in
            people = [
                person("boss@acme.com"),
                person("ann@acme.com", manager: "boss@acme.com"),
                person("term@acme.com", manager: "boss@acme.com", status: "terminated", terminated: "2025-07-15"),
                person("mover@acme.com", manager: "ann@acme.com"),
                person("back@acme.com"),
                person("new@acme.com", manager: "ann@acme.com"),
            ]
            func edit(_ id: String, _ change: (inout Account) -> Void) {
                if let index = accounts.firstIndex(where: { $0.accountID == id }) { change(&accounts[index]) }
            }
            accounts.removeAll { $0.accountID == "a-leave" }
            accounts.append(account("a-join", email: "new@acme.com"))
            edit("a-react") { $0.status = .active }
            edit("a-deact") { $0.status = .inactive }
            edit("a-invite") { $0.status = .active }
            edit("a-promote") { $0.isAdmin = true }
            edit("a-demote") { $0.isAdmin = false }
            edit("a-role") { $0.role = "manager" }
            edit("a-email") { $0.email = "new.owner@acme.com" }
            // A container renamed keeps its members: memberships are compared by container id.
            containers[0].name = "Launch 2025"
            memberships = [Membership(containerID: "p1", accountID: "a-stay"), Membership(containerID: "p2", accountID: "a-madd")]
        }
        // A source first collected in snapshot 2 is one row, not a joiner per account.
        try await fixture.addSource("crm", kind: .streak, accounts: [account("s-1", email: "ann@acme.com")])
        let diff = try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .snapshot(1), to: 2)
        let found = diff.changes.map { "\($0.kind.rawValue) \($0.accountID.isEmpty ? ($0.personEmail ?? $0.source) : $0.accountID)" }
        #expect(found == [
            "source-added crm",
            "terminated term@acme.com",
            "rehired back@acme.com",
            "manager-changed mover@acme.com",
            "person-added new@acme.com",
            "person-removed gone@acme.com",
            "joiner a-join",
            "leaver a-leave",
            "reactivated a-react",
            "deactivated a-deact",
            "status-changed a-invite",
            "new-admin a-promote",
            "removed-admin a-demote",
            "role-changed a-role",
            "email-changed a-email",
            "membership-added a-madd",
            "membership-removed a-mrem",
        ])
        // Every kind but source-removed (a source cannot vanish going forward) appears once.
        #expect(Set(diff.changes.map(\.kind)) == Set(ChangeKind.allCases).subtracting([.sourceRemoved]))
        func change(_ kind: ChangeKind) throws -> DiffChange { try #require(diff.changes.first { $0.kind == kind }) }
        #expect(try change(.sourceAdded).before == "was not collected as of snapshot 1")
        #expect(diff.notes == ["Source crm was not collected as of snapshot 1: its accounts are not compared."])
        #expect(try change(.terminated).before == "active" && change(.terminated).after == "terminated 2025-07-15")
        #expect(try change(.managerChanged).before == "boss@acme.com" && change(.managerChanged).after == "ann@acme.com")
        #expect(try change(.joiner).after == "active" && change(.joiner).personEmail == "new@acme.com")
        #expect(try change(.leaver).before == "active, role member" && change(.leaver).personEmail == "gone@acme.com")
        #expect(try change(.reactivated).before == "inactive" && change(.reactivated).after == "active")
        #expect(try change(.roleChanged).before == "member" && change(.roleChanged).after == "manager")
        #expect(try change(.emailChanged).before == "old@acme.com" && change(.emailChanged).after == "new.owner@acme.com")
        // A removed membership is named as it was.
        #expect(try change(.membershipAdded).container == "Ops" && change(.membershipRemoved).container == "Launch")
        #expect(diff.counts.count == diff.changes.count && diff.counts.allSatisfy { $0.count == 1 })
        #expect(diff.changes.allSatisfy { $0.decision == nil })

        // Backwards, every change turns around: the source is removed, joiners leave.
        let back = try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .snapshot(2), to: 1)
        let kinds = Dictionary(uniqueKeysWithValues: back.changes.map { ($0.kind, $0.accountID.isEmpty ? ($0.personEmail ?? $0.source) : $0.accountID) })
        #expect(kinds[.sourceRemoved] == "crm" && kinds[.leaver] == "a-join" && kinds[.joiner] == "a-leave")
        #expect(kinds[.rehired] == "term@acme.com" && kinds[.terminated] == "back@acme.com")
        #expect(kinds[.deactivated] == "a-react" && kinds[.newAdmin] == "a-demote" && kinds[.membershipAdded] == "a-mrem")
        #expect(back.changes.count == diff.changes.count)
    }

    @Test func adminJoinersAndLeaversAreAdminChangesToo() async throws {
        let fixture = try await Self.twoSnapshots { _, accounts, _, memberships in
            accounts.removeAll { $0.accountID == "a-demote" }
            accounts.append(account("a-boss", email: "boss@acme.com", role: "owner", admin: true))
            memberships.append(Membership(containerID: "p2", accountID: "a-boss", role: "lead"))
            memberships.append(Membership(containerID: "p1", accountID: "a-mrem", role: "viewer"))
        }
        let diff = try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .snapshot(1))
        let found = diff.changes.map { "\($0.kind.rawValue) \($0.accountID) \($0.container ?? "") \($0.before) → \($0.after)" }
        #expect(found == [
            "joiner a-boss   → active, role owner, admin, member of Ops",
            "leaver a-demote  active, admin → ",
            "new-admin a-boss   → admin",
            "removed-admin a-demote  admin → ",
            // A role within a container is compared between snapshots.
            "role-changed a-mrem Launch  → viewer",
        ])
    }

    @Test func aFailedCollectionIsNoted() async throws {
        var fixture = try await Self.twoSnapshots()
        try await fixture.failSource("app", kind: .proofHub, error: "HTTP 503")
        let diff = try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .snapshot(1))
        #expect(diff.to == 3 && diff.changes.isEmpty)
        #expect(diff.notes == ["Source app failed to collect in snapshot 3: its data of snapshot 2 is compared as snapshot 3's."])
    }

    @Test func unknownSnapshotsAndCampaignsNameWhatExists() async throws {
        let fixture = try await Self.twoSnapshots()
        let error = await #expect(throws: DiffError.self) {
            try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .snapshot(9))
        }
        #expect(error?.exitStatus == .usage)
        #expect(error?.description.hasPrefix("There is no snapshot 9 (--from). Snapshots: 1 (2025-06-29T08:00:00Z, running), 2 (2025-07-30T08:00:00Z, running).") == true, "\(String(describing: error))")
        await #expect(throws: DiffError.self) {
            try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .snapshot(1), to: 3)
        }
        let campaign = await #expect(throws: CampaignError.self) {
            try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .campaign("Q9"))
        }
        #expect(campaign?.description.contains("There is no campaign named 'Q9'.") == true)
        #expect(DiffSide(argument: "campaign:") == nil && DiffSide(argument: "x") == nil && DiffSide(argument: "0") == nil)
        #expect(DiffSide(argument: "campaign:2026-Q4") == .campaign("2026-Q4") && DiffSide(argument: "12") == .snapshot(12))
    }

    @Test func sinceACampaignEachRowCarriesItsDecision() async throws {
        var fixture = try await CampaignFixture.make()
        let campaign = try await fixture.start()
        let bob = try #require(campaign.items.first { $0.accountID == "a-bob" })
        _ = try await fixture.store.addDecisions(
            [GraphStore.NewDecision(item: bob.item, decision: .revoke, reason: "manager left", reviewer: "owner@acme.com")],
            campaign: campaign.campaign.id, event: "test", at: CampaignFixture.now)

        // Nothing collected since: no changes.
        let same = try await GraphDiff.run(store: fixture.store, configuration: fixture.graph.configuration, from: .campaign("2025-Q3"))
        #expect(same.changes.isEmpty, "\(same.changes)")
        #expect(same.headline == "No changes between campaign 2025-Q3 and snapshot 1.")

        // The next collect: bob deactivated, ann out of the project (its name is compared, as the items keep names).
        let roster = try await fixture.store.people(ofRun: 1).map {
            Person(email: $0.email, givenEmail: $0.givenEmail, name: nil, department: nil, managerEmail: $0.managerEmail,
                   status: $0.status, terminationDate: $0.terminationDate, line: nil)
        }
        fixture.graph.snapshot = try await fixture.store.beginSnapshot(at: Self.later)
        try await fixture.graph.addRoster(roster)
        var accounts = try await fixture.store.accounts(ofRun: 2).map {
            account($0.accountID, email: $0.email, role: $0.role, admin: $0.isAdmin, status: AccountStatus(rawValue: $0.status)!)
        }
        accounts[accounts.firstIndex { $0.accountID == "a-bob" }!].status = .inactive
        try await fixture.graph.addSource(
            "app", kind: .proofHub, accounts: accounts,
            containers: [Container(containerID: "p1-renumbered", type: .project, name: "Launch <\"Q3\">")],
            memberships: [Membership(containerID: "p1-renumbered", accountID: "a-eve")])
        let diff = try await GraphDiff.run(store: fixture.store, configuration: fixture.graph.configuration, from: .campaign("2025-Q3"))
        #expect(diff.to == 2)
        let rows = diff.changes.map { "\($0.kind.rawValue) \($0.accountID) \($0.container ?? "") \($0.decision ?? "-") \($0.reason ?? "-") \($0.decidedBy ?? "-")" }
        #expect(rows == [
            "deactivated a-bob  revoke manager left owner@acme.com",
            "membership-removed a-ann Launch <\"Q3\"> - - -",
        ])
        #expect(diff.fromCampaign)
        let html = try diff.renderHTML()
        #expect(html.contains("<th>Decided by</th>") && html.contains("manager left"))
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try diff.write(to: folder, json: true)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json[0])) as? [String: Any])
        #expect(document["from"] as? String == "campaign 2025-Q3" && document["to"] as? String == "snapshot 2")
        let first = try #require((document["changes"] as? [[String: Any]])?.first)
        #expect(first["change"] as? String == "deactivated" && first["decision"] as? String == "revoke")
        #expect(first["decided_by"] as? String == "owner@acme.com" && first["container"] is NSNull)
    }

    @Test func hostileNamesAreTextInThePage() async throws {
        let hostile = "<script>alert('x')</script>"
        let fixture = try await Self.twoSnapshots { _, accounts, containers, memberships in
            accounts.append(account("<img src=x onerror=alert(1)>", email: "\"><b onclick=alert(1)>@evil.example"))
            if let index = accounts.firstIndex(where: { $0.accountID == "a-role" }) { accounts[index].role = "=HYPERLINK(\"http://x\")" }
            containers.append(Container(containerID: "p3", type: .group, name: hostile))
            memberships.append(Membership(containerID: "p3", accountID: "a-stay"))
        }
        let diff = try await GraphDiff.run(store: fixture.store, configuration: fixture.configuration, from: .snapshot(1))
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try diff.write(to: folder)
        let html = try String(contentsOf: files[1], encoding: .utf8)
        let page = HTMLScanner(html)
        #expect(!page.tags.contains { ["script", "img", "b", "a", "link", "iframe"].contains($0.name) })
        #expect(page.tags.allSatisfy { tag in tag.attributes.allSatisfy { !$0.name.hasPrefix("on") } })
        #expect(html.contains("default-src 'none'"))
        let text = page.texts.joined(separator: "\u{1}")
        #expect(text.contains(hostile))
        #expect(text.contains("<img src=x onerror=alert(1)>"))
        #expect(text.contains("\"><b onclick=alert(1)>@evil.example"))
        #expect(text.contains("=HYPERLINK(\"http://x\")"))
        // The CSV keeps the formula from running.
        let csv = try String(contentsOf: files[0], encoding: .utf8)
        #expect(csv.contains("'=HYPERLINK"))
    }
}
