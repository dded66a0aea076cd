import Foundation
import IDGraph

/// A review of a graph whose names, emails, roles and containers carry
/// injection strings, written to a fresh folder: the reports as an attacker
/// who controls a SaaS profile or a roster cell would like them.
struct HostileReport {
    /// Strings that must only ever appear as visible text.
    static let injections = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "=HYPERLINK(\"http://x\")",
        "+1",
        "-2",
        "@SUM(A1)",
        "</script><script>alert(2)</script>",
        "O'Brien, \"Bob\"",
        "张伟 Ærøskøbing",
        "R&D <\"Alpha\">",
        "' onmouseover='alert(3)",
        "\u{2028}line\u{2029}sep",
    ]

    let folder: URL
    let result: ReviewReport.Result
    /// The graph the review stored its findings in.
    let store: GraphStore

    /// Builds the graph and writes the reports; `fillerAccounts` more accounts
    /// of unknown people in a `procore` source make the report a large one.
    static func make(fillerAccounts: Int = 0) async throws -> HostileReport {
        var graph = try await GraphFixture(inactiveDays: 60)
        try await graph.addRoster([
            person("ann@acme.com", name: "<script>alert(1)</script>", manager: "boss@acme.com",
                   department: "\"><img src=x onerror=alert(1)>"),
            person("boss@acme.com", name: "</script><script>alert(2)</script>"),
            person("bob@acme.com", name: "O'Brien, \"Bob\"", manager: "boss@acme.com", department: "R&D <\"Alpha\">"),
            person("wei@acme.com", name: "张伟 Ærøskøbing", manager: "boss@acme.com", department: "+1"),
            person("gone@acme.com", name: "=HYPERLINK(\"http://x\")", manager: "boss@acme.com", status: "terminated",
                   terminated: "2025-05-01"),
        ])
        try await graph.addSource(
            "streak", kind: .streak,
            accounts: [
                account("s1", email: "ann@acme.com", name: "<script>alert(1)</script>", role: "@SUM(A1)", admin: true,
                        lastSeen: GraphFixture.daysBefore(100)),
                account("s2", email: "wei@acme.com", name: "张伟 Ærøskøbing", lastSeen: GraphFixture.daysBefore(1)),
                account("=cmd|' /C calc'!A0", email: "-2", name: "-2", lastSeen: GraphFixture.daysBefore(2)),
            ],
            containers: [Container(containerID: "org", type: .organization, name: "R&D <\"Alpha\">")],
            memberships: [Membership(containerID: "org", accountID: "s1"), Membership(containerID: "org", accountID: "s2")])
        try await graph.addSource(
            "process-street", kind: .processStreet, approvedAdmins: ["ann@acme.com"],
            accounts: [
                account("p1", email: "gone@acme.com", name: "=HYPERLINK(\"http://x\")", role: "admin", admin: true),
                account("p2", email: "bob@acme.com", name: "O'Brien, \"Bob\"", status: .inactive),
                account("p3", email: "x@evil.example", name: "\"><img src=x onerror=alert(1)>", status: .invited,
                        created: GraphFixture.daysBefore(45)),
                account("p4", email: "bob@acme.com", name: "' onmouseover='alert(3)"),
                account("p5", email: nil, name: "\u{2028}line\u{2029}sep"),
            ],
            containers: [
                Container(containerID: "g1", type: .group, name: "R&D <\"Alpha\">"),
                Container(containerID: "g2", type: .group, name: "a; b \"c\", d"),
                Container(containerID: "g3", type: .group, name: "</script><script>alert(2)</script>"),
            ],
            memberships: [
                Membership(containerID: "g1", accountID: "p2"), Membership(containerID: "g2", accountID: "p2"),
                Membership(containerID: "g3", accountID: "p4"),
            ])
        try await graph.addSource(
            "proofhub", kind: .proofHub, accounts: [account("h1", email: "wei@acme.com", name: "Wei", role: "owner", admin: true)],
            collectedAt: "2025-06-01T07:00:00Z")
        try await graph.failSource("proofhub", kind: .proofHub, error: "HTTP 503 from GET /people?page=2")
        if fillerAccounts > 0 {
            try await graph.addSource(
                "procore", kind: .procore,
                accounts: (0..<fillerAccounts).map { account("f\($0)", email: "filler\($0)@contractor.example", name: "Filler \($0)") },
                containers: [Container(containerID: "g", type: .group, name: "</script><script>alert(2)</script>")],
                memberships: (0..<fillerAccounts).filter { $0 % 3 == 0 }.map { Membership(containerID: "g", accountID: "f\($0)") })
        }

        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("idgraph-report-\(UUID().uuidString)", isDirectory: true)
        let result = try await ReviewReport.run(
            store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: folder,
            now: GraphFixture.date("2025-06-30T09:15:00Z"))
        return HostileReport(folder: folder, result: result, store: graph.store)
    }

    /// The HTML report's text.
    func html() throws -> String { try String(contentsOf: result.html, encoding: .utf8) }
}
