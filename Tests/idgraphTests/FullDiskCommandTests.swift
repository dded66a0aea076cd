import Foundation
import GRDB
import Testing

/// A collect on a file system that is really full. It needs a small tmpfs, and so mount rights:
/// where they are missing the test is skipped (DiskFullTests covers the same path through SQLite's
/// page limit everywhere).
@Suite struct FullFileSystemTests {
    /// Runs `arguments` as a command; its exit status.
    @discardableResult
    static func system(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Whether this process may mount a tmpfs (root on Linux, outside a restricted container).
    static let canMount: Bool = {
        guard let folder = try? CommandLineTool.temporaryFolder() else { return false }
        defer { try? FileManager.default.removeItem(at: folder) }
        guard system(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path]) == 0 else { return false }
        system(["umount", folder.path])
        return true
    }()

    @Test(.enabled(if: canMount)) func collectOnAFullDiskSaysSoAndKeepsThePreviousData() throws {
        let folder = try CommandLineTests().rosterProject()
        let disk = folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        #expect(Self.system(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.path]) == 0)
        defer { Self.system(["umount", "-l", disk.path]) }
        let database = disk.appendingPathComponent("idgraph.sqlite").path
        let first = try CommandLineTool.run(["collect", "--config", "idgraph.yaml", "--db", database], in: folder)
        #expect(first.status == 0, "\(first.stderr)")

        // Fill the disk but for a few pages, then collect a roster far larger than what is left.
        let filler = disk.appendingPathComponent("filler")
        let free = try #require(
            try FileManager.default.attributesOfFileSystem(forPath: disk.path)[.systemFreeSize] as? Int)
        try Data(count: max(0, free - 256 * 1024)).write(to: filler)
        let rows = (1...20_000).map { "p\($0)@acme.com,Person \($0),Eng,boss@acme.com,active," }
        try (["email,name,department,manager_email,status,termination_date"] + rows).joined(separator: "\n")
            .write(to: folder.appendingPathComponent("hr.csv"), atomically: true, encoding: .utf8)
        let full = try CommandLineTool.run(["collect", "--config", "idgraph.yaml", "--db", database], in: folder)
        #expect(full.status == 1, "\(full.stderr)")
        #expect(full.stdout.contains("hr (roster):") && full.stdout.contains("FAILED"), "\(full.stdout)")
        #expect(full.stderr.contains("error: source 'hr': the graph database at \(database) could not be written"), "\(full.stderr)")
        #expect(full.stderr.contains("Nothing of this run was stored for the source: it keeps its previous data"), "\(full.stderr)")
        #expect(full.stderr.contains("Free space on the disk that holds \(database)") || full.stderr.contains("Check the disk that holds \(database)"), "\(full.stderr)")
        #expect(!full.stderr.contains("SQLite error 13"), "\(full.stderr)")

        try FileManager.default.removeItem(at: filler)
        let people = try CommandLineTool.run(
            ["query", "--db", database, "--format", "csv", "SELECT count(*) AS n FROM people"], in: folder)
        #expect(people.stdout == "n\r\n3\r\n", "\(people.stdout) \(people.stderr)")
        let again = try CommandLineTool.run(["collect", "--config", "idgraph.yaml", "--db", database], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("hr (roster): 20000 people"), "\(again.stdout)")
    }
}
