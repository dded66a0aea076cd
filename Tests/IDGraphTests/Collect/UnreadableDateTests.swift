import Foundation
import GRDB
import Testing

@testable import IDGraph

/// A date field whose value is no date between 1970 and 9999 is stored as unknown, and the collect
/// summary says how many there were, with one example.
@Suite struct UnreadableDateTests {
    @Test(arguments: [
        (#"{"d": 1e300}"#, "1e+300"),
        (#"{"d": 1234567890123456789012345678901}"#, "1.2345678901234568e+30"),
        (#"{"d": "1234567890123456789012345678901"}"#, "1234567890123456789012345678901"),
        (#"{"d": "yesterday"}"#, "yesterday"),
        (#"{"d": "1965-03-01T10:00:00Z"}"#, "1965-03-01T10:00:00Z"),
        (#"{"d": "0001-01-01T00:00:00Z"}"#, "0001-01-01T00:00:00Z"),
        (#"{"d": -5}"#, "-5"),
        (#"{"d": true}"#, "true"),
        (#"{"d": {"date": "2025-01-01"}}"#, "{…}"),
        (#"{"d": "2025-06-30T12:00:00Z and then some more text after it, a lot of it"}"#, "2025-06-30T12:00:00Z and then some more…"),
    ])
    func aValueThatIsNoDateIsUnknownAndNoted(json: String, shown: String) throws {
        let record = try JSONValue.parse(Data(json.utf8))
        var unreadable: [UnreadableDate] = []
        #expect(record.date("d", noting: &unreadable) == nil)
        #expect(unreadable == [UnreadableDate(field: "d", value: shown)])
        #expect(unreadable.first.map { $0.value.count <= 40 } == true)
    }

    @Test(arguments: [
        #"{}"#, #"{"d": null}"#, #"{"d": ""}"#, #"{"d": "  "}"#, #"{"d": 0}"#, #"{"d": 0.0}"#, #"{"d": "0"}"#,
        #"{"d": "0000-00-00 00:00:00"}"#,
    ])
    func whatSourcesSendForNoDateIsNoDateAndNoProblem(json: String) throws {
        let record = try JSONValue.parse(Data(json.utf8))
        var unreadable: [UnreadableDate] = []
        #expect(record.date("d", noting: &unreadable) == nil)
        #expect(unreadable.isEmpty)
    }

    @Test(arguments: [#"{"d": 1735689600}"#, #"{"d": 1735689600000}"#, #"{"d": "2025-01-01T00:00:00Z"}"#, #"{"d": "2025-01-01 00:00:00"}"#])
    func aDateIsRead(json: String) throws {
        let record = try JSONValue.parse(Data(json.utf8))
        var unreadable: [UnreadableDate] = []
        #expect(record.date("d", noting: &unreadable) == Date(timeIntervalSince1970: 1_735_689_600))
        #expect(unreadable.isEmpty)
    }

    @Test func theWarningCountsAndShowsOneExample() {
        var dates = UnreadableDates()
        #expect(dates.warning == nil)
        dates.add([UnreadableDate(field: "created_at", value: "1e300")])
        #expect(dates.warning == "1 date could not be read (e.g. 'created_at' = '1e300') and is stored as unknown.")
        dates.add([UnreadableDate(field: "last_login_at", value: "x"), UnreadableDate(field: "created_at", value: "y")])
        #expect(dates.warning == "3 dates could not be read (e.g. 'created_at' = '1e300') and are stored as unknown.")
    }

    @Test func aMapperNotesItsUnreadableDates() throws {
        let record = try JSONValue.parse(Data(#"{"id": 7, "email": "a@acme.com", "last_login_at": "1e300", "created_at": "2024-02-01T00:00:00Z"}"#.utf8))
        let account = try #require(
            ProcoreCollector.account(record, listedActive: true, adminTemplates: AdminTemplates([]), projectAdmins: []))
        #expect(account.lastSeen == nil)
        #expect(account.created != nil)
        #expect(account.unreadableDates == [UnreadableDate(field: "last_login_at", value: "1e300")])
    }

    /// Roster dates: a date before 1970 is an HR placeholder (unknown, with the warning); text that
    /// is no date at all stays an error naming the line, as every other mistake in the file.
    @Test func aRosterDateBefore1970IsUnknownAndWarned() async throws {
        let roster = """
            email,name,status,termination_date
            ana@acme.com,Ana,terminated,1900-01-01
            bob@acme.com,Bob,terminated,2025-01-31
            eve@acme.com,Eve,terminated,0001-01-01

            """
        let tests = RosterCollectionTests()
        let store = try GraphStore.inMemory()
        let (report, _) = try await tests.collect(Data(roster.utf8), into: store)
        #expect(report.exitStatus == .success)
        let outcome = try #require(report.outcomes.first)
        #expect(outcome.warnings == ["2 dates could not be read (e.g. 'termination_date' = '1900-01-01') and are stored as unknown."])
        #expect(outcome.diagnostics.map(\.kind) == [.unreadableDates])
        let people = try tests.people(store)
        #expect((people["ana@acme.com"]?["termination_date"] as String?) == nil)
        #expect(people["bob@acme.com"]?["termination_date"] == "2025-01-31")
        #expect(people["ana@acme.com"]?["status"] == "terminated")

        let (bad, _) = try await tests.collect(Data("email,status,termination_date\nzed@acme.com,terminated,last spring\n".utf8), into: store)
        #expect(bad.exitStatus == .failure)
        #expect(bad.outcomes.first?.error?.contains("'last spring' is not a date") == true)
        #expect(bad.outcomes.first?.failure?.kind == .collectionFailed)
        #expect(bad.outcomes.first?.failure?.severity == .error)
    }
}
