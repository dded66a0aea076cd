import Foundation
import Testing

/// `idgraph leavers` through the real binary.
@Suite struct LeaversCommandTests {
    /// The demo company's planted leaver (terminated 45 days ago) still has live accounts in its one
    /// collect: still-has-access past the deadline, exit status 1.
    @Test func theDemoCompanysLeaverStillHasAccess() throws {
        let folder = try CommandLineTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = try CommandLineTool.run(["demo", "--out", folder.path, "--size", "60", "--faults", "", "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let csv = try CommandLineTool.run(
            ["leavers", "--config", "idgraph.yaml", "--from", "2000-01-01", "--to", "2100-01-01", "--format", "csv"], in: folder)
        #expect(csv.status == 1, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix(
            "person_email,name,termination_date,source,account_id,last_with_access_snapshot,last_with_access_at,"
                + "first_without_access_snapshot,first_without_access_at,removed_within,deadline,sla,note\r\n"))
        #expect(csv.stdout.contains("gavin.reed@acme.com,Gavin Reed,"), "\(csv.stdout)")
        #expect(csv.stdout.contains(",still-has-access,\"missed: the latest collect"))

        let table = try CommandLineTool.run(
            ["leavers", "--config", "idgraph.yaml", "--from", "2000-01-01", "--to", "2100-01-01"], in: folder)
        #expect(table.status == 1)
        #expect(table.stdout.contains(" still-has-access (") && table.stdout.contains("(SLA 7 days)"), "\(table.stdout)")
    }

    @Test(arguments: [
        (["--from", "2025-13-01", "--to", "2025-12-31"], "--from must be a day as YYYY-MM-DD"),
        (["--from", "2025-10-01", "--to", "yesterday"], "--to must be a day as YYYY-MM-DD"),
        (["--from", "2025-12-01", "--to", "2025-10-01"], "--from (2025-12-01) is after --to (2025-10-01)"),
        (["--from", "2025-10-01", "--to", "2025-12-31", "--sla-days=-1"], "--sla-days must be 0 or more days"),
    ])
    func badUsageExitsTwo(arguments: [String], message: String) throws {
        let result = try CommandLineTool.run(["leavers", "--config", "idgraph.yaml"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
