import Foundation
import GRDB
import Testing

/// `review` records a run `ok` only with its reports written.
@Suite struct ReviewOutputCommandTests {
    @Test func reviewOutThroughAFileExitsTwoAndRecordsNothing() throws {
        let folder = try CommandLineTests().rosterProject()
        #expect(try CommandLineTool.run(["collect", "--config", "idgraph.yaml", "--quiet"], in: folder).status == 0)
        try Data("x".utf8).write(to: folder.appendingPathComponent("file.txt"))
        let review = try CommandLineTool.run(["review", "--config", "idgraph.yaml", "--out", "file.txt/out"], in: folder)
        #expect(review.status == 2, "\(review.stderr)")
        #expect(review.stderr.contains("\(folder.appendingPathComponent("file.txt").path) is a file, not a folder"), "\(review.stderr)")
        #expect(review.stderr.contains("Choose another --out folder"))
        let runs = try CommandLineTool.run(["query", "--format", "csv", "SELECT count(*) AS n FROM review_runs"], in: folder)
        #expect(runs.stdout == "n\r\n0\r\n")
    }

    @Test func aReviewWhoseReportsCannotBeWrittenExitsOneAndIsRecordedFailed() throws {
        let folder = try CommandLineTests().rosterProject()
        #expect(try CommandLineTool.run(["collect", "--config", "idgraph.yaml", "--quiet"], in: folder).status == 0)
        #expect(try CommandLineTool.run(["review", "--config", "idgraph.yaml", "--out", "good", "--quiet"], in: folder).status == 0)
        // A non-empty folder where findings.csv must go: no rename can replace it, even as root.
        let blocking = folder.appendingPathComponent("bad/findings.csv")
        try FileManager.default.createDirectory(at: blocking, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: blocking.appendingPathComponent("keep.txt"))
        let review = try CommandLineTool.run(["review", "--config", "idgraph.yaml", "--out", "bad"], in: folder)
        #expect(review.status == 1, "\(review.stderr)")
        #expect(review.stderr.contains("error: \(blocking.path): A folder has the report's name"), "\(review.stderr)")
        #expect(review.stderr.contains("The review is recorded as failed, and the findings view does not show it."))
        let runs = try CommandLineTool.run(
            ["query", "--format", "csv", "SELECT status FROM review_runs ORDER BY id"], in: folder)
        #expect(runs.stdout == "status\r\nok\r\nfailed\r\n", "\(runs.stdout)")
        let shown = try CommandLineTool.run(
            ["query", "--format", "csv", "SELECT DISTINCT review_run_id FROM findings"], in: folder)
        #expect(!shown.stdout.contains("\r\n2\r\n"), "\(shown.stdout)")
    }
}
