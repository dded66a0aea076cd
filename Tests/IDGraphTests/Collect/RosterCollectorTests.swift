import Foundation
import Testing

@testable import IDGraph

@Suite struct RosterCollectorTests {
    let roster = RosterCollector(
        source: SourceConfiguration(name: "hr", kind: .roster),
        canonicalizer: EmailCanonicalizer(domainAliases: ["acme.io": "acme.com"]))

    func parse(_ text: String) throws(CollectionError) -> [Person] {
        try roster.parse(text, file: "hr.csv")
    }

    func failure(_ text: String) -> CollectionError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheSpecHeader() throws {
        let people = try parse("""
            email,name,department,manager_email,status,termination_date
            ana@acme.com,Ana Lopez,Engineering,boss@acme.com,active,
            bob@acme.com,Bob,Sales,boss@acme.com,terminated,2025-03-31
            """)
        #expect(people.count == 2)
        #expect(people[0] == Person(
            email: "ana@acme.com", givenEmail: "ana@acme.com", name: "Ana Lopez", department: "Engineering",
            managerEmail: "boss@acme.com", status: "active", terminationDate: nil, line: 2))
        #expect(people[1].status == "terminated")
        #expect(people[1].terminationDate == "2025-03-31")
    }

    @Test func toleratesBOMCRLFQuotesExtraColumnsAndBlankLines() throws {
        let text = "\u{FEFF}status,Email,extra,name\r\n"
            + "Active,\" Ana@ACME.io \",\"x,y\",\"Lopez, \"\"Ana\"\"\"\r\n"
            + "\r\n"
            + ",,,\r\n"
            + "active,carl@acme.com,,\"Carl\r\nSecond line\"\r\n"
            + "active,dora@acme.com,,Dora\r\n"
        let people = try roster.parse(String(text.dropFirst()), file: "hr.csv")
        #expect(people.map(\.email) == ["ana@acme.com", "carl@acme.com", "dora@acme.com"])
        #expect(people[0].name == "Lopez, \"Ana\"")
        #expect(people[0].givenEmail == "Ana@ACME.io")
        #expect(people[0].status == "active")
        #expect(people[0].department == nil)
        #expect(people[1].line == 5)
        #expect(people[2].line == 7, "a quoted field spanning two lines moves later rows down")
    }

    @Test func byteOrderMarkIsStrippedWhenReadFromAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bom-\(UUID()).csv")
        try Data("\u{FEFF}email,status\nana@acme.com,active\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var source = SourceConfiguration(name: "hr", kind: .roster)
        source.path = url
        let people = try RosterCollector(source: source, canonicalizer: EmailCanonicalizer()).read()
        #expect(people.map(\.email) == ["ana@acme.com"])
    }

    @Test func reHiredPersonIsActive() throws {
        for order in [["terminated,2024-01-31", "active,"], ["active,", "terminated,2024-01-31"]] {
            let people = try parse("""
                email,status,termination_date
                rick@acme.com,\(order[0])
                RICK@acme.io,\(order[1])
                """)
            #expect(people.count == 1)
            #expect(people[0].isActive)
            #expect(people[0].terminationDate == nil)
        }
    }

    @Test(arguments: [
        ("name,status\nAna,active\n", "no 'email' column", "hr.csv:1"),
        ("email,name\nana@acme.com,Ana\n", "no 'status' column", "hr.csv:1"),
        ("email,status\nana@acme.com,active,extra\n", "3 fields but the header has 2", "hr.csv:2"),
        ("email,status,name\nana@acme.com,active,\"Ana\nbob@acme.com,active,Bob\n", "never closed", "hr.csv:2"),
        ("email,status\n,active\n", "no email", "hr.csv:2"),
        ("email,status\nana@acme.com,active\nnot-an-email,active\n", "not an email address", "hr.csv:3"),
        ("email,status\nana@acme.com,\n", "no status", "hr.csv:2"),
        ("email,status,termination_date\nana@acme.com,terminated,last spring\n", "not a date", "hr.csv:2"),
        ("", "empty", "hr.csv"),
    ])
    func malformedRowsNameTheFileAndLine(text: String, message: String, location: String) {
        let e = failure(text)
        #expect(e?.description.contains(message) == true, "\(e?.description ?? "no error")")
        #expect(e?.location == location)
        #expect(e?.source == "hr")
    }

    @Test func missingFileIsAClearError() {
        var source = SourceConfiguration(name: "hr", kind: .roster)
        source.path = URL(fileURLWithPath: "/nonexistent/hr.csv")
        #expect(throws: CollectionError.self) {
            try RosterCollector(source: source, canonicalizer: EmailCanonicalizer()).read()
        }
    }
}
