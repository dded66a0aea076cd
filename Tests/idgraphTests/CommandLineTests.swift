import Foundation
import GRDB
import Testing

@Suite struct CommandLineTests {
    static let roster = """
        email,name,department,manager_email,status,termination_date
        ana@acme.com,Ana,Eng,boss@acme.com,active,
        boss@acme.com,Boss,Eng,,active,
        bob@acme.io,Bob,Ops,boss@acme.com,terminated,2025-01-31

        """

    func rosterProject(roster: String = roster) throws -> URL {
        let folder = try CommandLineTool.temporaryFolder()
        try roster.write(to: folder.appendingPathComponent("hr.csv"), atomically: true, encoding: .utf8)
        try """
            domain_aliases:
              acme.io: acme.com
            sources:
              - name: hr
                kind: roster
                path: hr.csv
            """.write(to: folder.appendingPathComponent("idgraph.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func collectWithARosterOnlyConfigStoresThePeople() throws {
        let folder = try rosterProject()
        let collect = try CommandLineTool.run(["collect", "--config", "idgraph.yaml"], in: folder)
        #expect(collect.status == 0, "\(collect.stderr)")
        #expect(collect.stdout.contains("hr (roster): 3 people"))
        #expect(collect.stdout.contains(", ok"))
        let query = try CommandLineTool.run(
            ["query", "--format", "csv", "SELECT email, status FROM people ORDER BY email"], in: folder)
        #expect(query.status == 0)
        #expect(query.stdout == "email,status\r\nana@acme.com,active\r\nbob@acme.com,terminated\r\nboss@acme.com,active\r\n")
        let runs = try CommandLineTool.run(
            ["query", "--db", folder.appendingPathComponent("idgraph.sqlite").path, "--format", "json",
             "SELECT source, status, accounts FROM source_runs"])
        #expect(runs.stdout.contains("\"source\": \"hr\", \"status\": \"ok\""))
    }

    @Test func aDateThatCannotBeReadIsWarnedOfInTheSummary() throws {
        let folder = try rosterProject(roster: "email,status,termination_date\nana@acme.com,active,\nbob@acme.com,terminated,1900-01-01\n")
        let collect = try CommandLineTool.run(["collect", "--config", "idgraph.yaml", "--quiet"], in: folder)
        #expect(collect.status == 0, "\(collect.stderr)")
        #expect(collect.stdout.contains("hr (roster): 2 people"))
        #expect(collect.stderr == "warning: hr: 1 date could not be read (e.g. 'termination_date' = '1900-01-01') and is stored as unknown.\n")
    }

    @Test func aBrokenRosterExitsOneAndNamesTheLine() throws {
        let folder = try rosterProject(roster: "email,status\nana@acme.com,active\nnot-an-email,active\n")
        let collect = try CommandLineTool.run(["collect", "--config", "idgraph.yaml"], in: folder)
        #expect(collect.status == 1)
        #expect(collect.stderr.contains("hr.csv:3"))
        #expect(collect.stdout.contains("FAILED"))
    }

    @Test(arguments: [
        ["frobnicate"],
        ["collect", "--config", "idgraph.yaml", "--bogus"],
        ["collect"],
        ["query", "--format", "xml", "SELECT 1"],
        ["collect", "--config", "missing.yaml"],
        ["collect", "--config", "idgraph.yaml", "--source", "nope"],
        ["query", "DELETE FROM person"],
        ["check", "--config", "idgraph.yaml", "--format", "xml"],
        ["check", "--config", "idgraph.yaml", "--source", "nope"],
        ["init", "--out", "idgraph.yaml"],
    ])
    func badUsageExitsTwoWithAShortHint(arguments: [String]) throws {
        let folder = try rosterProject()
        _ = try CommandLineTool.run(["collect", "--config", "idgraph.yaml", "--quiet"], in: folder)
        let result = try CommandLineTool.run(arguments, in: folder)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(result.stderr.split(separator: "\n").count <= 2, "\(result.stderr)")
    }

    @Test(arguments: [
        ["--help"], ["init", "--help"], ["check", "--help"], ["collect", "--help"], ["query", "--help"], ["review", "--help"],
        ["demo", "--help"], ["simulate", "--help"], ["campaign", "--help"], ["campaign", "start", "--help"],
        ["campaign", "import", "--help"],
    ])
    func helpShowsExamples(arguments: [String]) throws {
        let result = try CommandLineTool.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("idgraph "))
    }

    @Test func demoRunsTheWholeJob() throws {
        let folder = try CommandLineTool.temporaryFolder()
        // No idgraph on the PATH: the hints are commands for the package folder.
        let result = try CommandLineTool.run(
            ["demo", "--out", folder.path, "--size", "80", "--quiet"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 0, "\(result.stderr)")
        // The roster is counted once, in people (the generated roster lists a re-hired person twice).
        #expect(result.stdout.contains("hr (roster): 80 people, "), "\(result.stdout)")
        #expect(result.stdout.components(separatedBy: " people").count == 2, "\(result.stdout)")
        #expect(!result.stdout.contains("rows"))
        #expect(result.stdout.contains("Query the graph: swift run idgraph query --db \(folder.path)/idgraph.sqlite "), "\(result.stdout)")
        #expect(result.stdout.contains("Review again: swift run idgraph review --config \(folder.path)/idgraph.yaml"))
        for file in ["roster.csv", "idgraph.yaml", "idgraph.sqlite", "findings.csv", "accounts.csv", "access-review.html"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        #expect(result.stdout.contains("Open the access review: \(folder.appendingPathComponent("access-review.html").path)"))
        #expect(result.stdout.contains("orphaned: "))
        let review = try CommandLineTool.run(["review", "--config", "idgraph.yaml", "--out", "again"], in: folder)
        #expect(review.status == 0, "\(review.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("again/findings.csv").path))
        let findings = try CommandLineTool.run(
            ["query", "--db", folder.appendingPathComponent("idgraph.sqlite").path, "--format", "csv",
             "SELECT count(*) AS n FROM findings"])
        #expect(findings.status == 0)
        #expect(findings.stdout.hasPrefix("n\r\n"))
        #expect(!findings.stdout.hasPrefix("n\r\n0\r\n"))
    }

    @Test func demoHintsCanBePastedWhenIdgraphIsOnThePath() throws {
        let folder = try CommandLineTool.temporaryFolder().appendingPathComponent("a demo")
        let path = CommandLineTool.executable.deletingLastPathComponent().path + ":/usr/bin:/bin"
        let result = try CommandLineTool.run(
            ["demo", "--out", folder.path, "--size", "50", "--quiet"], environment: ["PATH": path])
        #expect(result.status == 0, "\(result.stderr)")
        let hints = result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("Query the graph: ") || $0.hasPrefix("Review again: ") }
        #expect(hints.count == 2, "\(result.stdout)")
        for hint in hints {
            let command = String(hint.drop { $0 != ":" }.dropFirst(2))
            #expect(command.hasPrefix("idgraph "), "\(hint)")
            // Pasted into a shell, as printed (the folder's name has a space in it).
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", command + " > /dev/null"]
            shell.environment = ["PATH": path]
            try shell.run()
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0, "\(command)")
        }
    }

    /// A graph in a folder of mode 0555 is queried and nothing is added beside it. Tests run as root,
    /// for whom the folder is still writable, so this runs the writable-folder path (the query tidies
    /// the `-wal` and `-shm` SQLite makes); QueryStreamingTests runs the immutable path a non-root
    /// user takes there.
    @Test func aQueryInAReadOnlyFolderWorksAndLeavesNothingBehind() throws {
        let folder = try rosterProject()
        let collect = try CommandLineTool.run(["collect", "--config", "idgraph.yaml", "--quiet"], in: folder)
        #expect(collect.status == 0, "\(collect.stderr)")
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!before.contains { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") }, "\(before)")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        for format in ["table", "csv", "json"] {
            let query = try CommandLineTool.run(
                ["query", "--db", "idgraph.sqlite", "--format", format, "SELECT email FROM people ORDER BY email"], in: folder)
            #expect(query.status == 0, "\(query.stderr)")
            #expect(query.stdout.contains("boss@acme.com"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
        }
    }

    @Test func versionPrints() throws {
        let result = try CommandLineTool.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: ".").count == 3)
    }

    /// Kills `collect` while it writes a large roster; the previous roster must
    /// stay the current data and the database must pass an integrity check.
    @Test func killedMidWriteLeavesThePreviousDataIntact() throws {
        let folder = try rosterProject()
        let first = try CommandLineTool.run(["collect", "--config", "idgraph.yaml"], in: folder)
        #expect(first.status == 0)

        let rows = (0..<150_000).map { "person\($0)@acme.com,Person \($0),Eng,boss@acme.com,active," }
        let big = "email,name,department,manager_email,status,termination_date\n" + rows.joined(separator: "\n")
        try big.write(to: folder.appendingPathComponent("hr.csv"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = CommandLineTool.executable
        process.arguments = ["collect", "--config", "idgraph.yaml"]
        process.currentDirectoryURL = folder
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        // Wait until the first batch of people has been written, then kill.
        var seen = ""
        while !seen.contains(" people") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "collect finished before it could be killed")

        let database = folder.appendingPathComponent("idgraph.sqlite").path
        let queue = try DatabaseQueue(path: database)
        let (integrity, people) = try queue.read { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"), try Int.fetchOne(db, sql: "SELECT count(*) FROM people"))
        }
        #expect(integrity == "ok")
        #expect(people == 3)

        // The next collect records the interrupted run as failed.
        try Self.roster.write(to: folder.appendingPathComponent("hr.csv"), atomically: true, encoding: .utf8)
        let again = try CommandLineTool.run(["collect", "--config", "idgraph.yaml"], in: folder)
        #expect(again.status == 0)
        let statuses = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT status FROM source_runs ORDER BY snapshot_id")
        }
        #expect(statuses == ["ok", "failed", "ok"])
    }
}

/// One writer at a time: a second `collect` or `review` on a database another process is writing to is
/// refused, at once and clearly, and a killed writer leaves no lock behind; the commands that only
/// read the graph run beside it.
@Suite struct WriterLockTests {
    @Test func aSecondWriterIsRefusedAndAKilledOneLeavesNoLock() throws {
        let folder = try CommandLineTool.temporaryFolder()
        try CommandLineTests.roster.write(to: folder.appendingPathComponent("hr.csv"), atomically: true, encoding: .utf8)
        let silent = try SilentServer()
        defer { silent.close() }
        try "database: shared.sqlite\nsources:\n  - name: hr\n    kind: roster\n    path: hr.csv\n"
            .write(to: folder.appendingPathComponent("idgraph.yaml"), atomically: true, encoding: .utf8)
        let first = try Self.collectThatHoldsTheLock(of: "shared.sqlite", in: folder, silent: silent)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }

        for command in [["collect", "--config", "idgraph.yaml"], ["review", "--config", "idgraph.yaml", "--out", "out"]] {
            let refused = try CommandLineTool.run(command, in: folder)
            #expect(refused.status == 1, "\(command[0]): \(refused.stderr)")
            #expect(refused.stderr.contains("another idgraph command (process \(first.processIdentifier)) is writing to it"), "\(refused.stderr)")
            #expect(refused.stderr.contains("wait for that one to finish"))
        }

        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let after = try CommandLineTool.run(["collect", "--config", "idgraph.yaml"], in: folder)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.contains("hr (roster): 3 people"))
        // The killed run was recorded as interrupted, and its rows never became visible.
        let runs = try CommandLineTool.run(
            ["query", "--db", "shared.sqlite", "--format", "csv", "SELECT source, status, error FROM source_runs ORDER BY snapshot_id"], in: folder)
        #expect(runs.stdout.contains("pm,failed,interrupted"), "\(runs.stdout)")
        #expect(runs.stdout.hasSuffix("hr,ok,\r\n"), "\(runs.stdout)")
    }

    /// The commands that only read the graph run while another process writes to it, each reading
    /// the graph as last committed; the writers are still refused.
    @Test func readingCommandsRunWhileACollectWrites() throws {
        let folder = try CommandLineTool.temporaryFolder()
        let demo = try CommandLineTool.run(["demo", "--out", "d", "--size", "50", "--faults", "", "--quiet"], in: folder)
        #expect(demo.status == 0, "\(demo.stderr)")
        let silent = try SilentServer()
        defer { silent.close() }
        let collect = try Self.collectThatHoldsTheLock(of: "d/idgraph.sqlite", in: folder, silent: silent)
        defer { if collect.isRunning { kill(collect.processIdentifier, SIGKILL) } }

        let config = ["--config", "d/idgraph.yaml"]
        // The demo company has a leaver who still has access after the deadline: `leavers` says so
        // with exit status 1.
        let reads: [(command: [String], status: Int32, prints: String)] = [
            (["campaign", "status"] + config + ["demo"], 0, "demo (open): 0 of 143 items decided"),
            (["campaign", "worksheets"] + config + ["demo", "--out", "ws"], 0, "worksheets in ws"),
            (["diff"] + config + ["--from", "campaign:demo", "--out", "diff"], 0, "diff.csv"),
            (["leavers"] + config + ["--from", "2025-01-01", "--to", "2026-12-31"], 1, "still-has-access"),
            (["evidence", "create"] + config + ["--out", "pack", "--quiet"], 0, "manifest.json SHA-256"),
        ]
        for read in reads {
            let result = try CommandLineTool.run(read.command, in: folder)
            #expect(result.status == read.status, "\(read.command.prefix(2)): \(result.stderr)")
            #expect(result.stdout.contains(read.prints), "\(read.command.prefix(2)): \(result.stdout)")
        }
        let review = try CommandLineTool.run(["review"] + config + ["--out", "d"], in: folder)
        #expect(review.status == 1, "\(review.stderr)")
        #expect(review.stderr.contains("another idgraph command (process \(collect.processIdentifier)) is writing to it"))
        #expect(collect.isRunning)
    }

    /// Starts a `collect` of `database` from an API that accepts the connection and never answers,
    /// so that it holds the database until it is killed; returns once it holds the lock (its lock
    /// file names its process).
    static func collectThatHoldsTheLock(of database: String, in folder: URL, silent: SilentServer) throws -> Process {
        try """
            database: \(database)
            sources:
              - name: pm
                kind: processmaker
                base_url: http://127.0.0.1:\(silent.port)/api/1.0
                token: not-a-real-token
                request_timeout_seconds: 3600
            """.write(to: folder.appendingPathComponent("slow.yaml"), atomically: true, encoding: .utf8)
        let collect = Process()
        collect.executableURL = CommandLineTool.executable
        collect.arguments = ["collect", "--config", "slow.yaml", "--quiet"]
        collect.currentDirectoryURL = folder
        collect.standardOutput = FileHandle.nullDevice
        collect.standardError = FileHandle.nullDevice
        try collect.run()
        // Bounded: a collect that never takes the lock fails the test's expectations instead.
        let lockFile = folder.appendingPathComponent(database + ".lock").path
        let deadline = Date().addingTimeInterval(60)
        while (try? String(contentsOfFile: lockFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            != String(collect.processIdentifier), Date() < deadline
        {
            usleep(20_000)
        }
        return collect
    }

    @Test func aRosterThatIsNotARegularFileIsRefused() throws {
        let folder = try CommandLineTool.temporaryFolder()
        try "sources:\n  - name: hr\n    kind: roster\n    path: /dev/zero\n"
            .write(to: folder.appendingPathComponent("idgraph.yaml"), atomically: true, encoding: .utf8)
        let collect = try CommandLineTool.run(["collect", "--config", "idgraph.yaml"], in: folder)
        #expect(collect.status == 1)
        #expect(collect.stderr.contains("/dev/zero"))
        #expect(collect.stderr.contains("not a regular file"), "\(collect.stderr)")
    }
}

/// A loopback TCP server that accepts connections and never answers.
final class SilentServer: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw CocoaError(.fileNoSuchFile) }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        // Connections wait in the listen backlog: the client's request is never read or answered.
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }
}

/// An empty or wrong input is not a clean result.
@Suite struct WrongInputTests {
    @Test func aRosterWithOnlyAHeaderFailsUnlessAllowed() throws {
        let folder = try CommandLineTool.temporaryFolder()
        try "email,name,department,manager_email,status,termination_date\n"
            .write(to: folder.appendingPathComponent("hr.csv"), atomically: true, encoding: .utf8)
        try "sources:\n  - name: hr\n    kind: roster\n    path: hr.csv\n"
            .write(to: folder.appendingPathComponent("idgraph.yaml"), atomically: true, encoding: .utf8)
        let refused = try CommandLineTool.run(["collect", "--config", "idgraph.yaml"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("The roster lists no people"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-empty"))
        let allowed = try CommandLineTool.run(["collect", "--config", "idgraph.yaml", "--allow-empty"], in: folder)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("hr (roster): 0 people"))
    }

    @Test func reviewRefusesADatabaseThatIsMissingForeignOrNewer() throws {
        let folder = try CommandLineTool.temporaryFolder()
        try CommandLineTests.roster.write(to: folder.appendingPathComponent("hr.csv"), atomically: true, encoding: .utf8)
        try "sources:\n  - name: hr\n    kind: roster\n    path: hr.csv\n"
            .write(to: folder.appendingPathComponent("idgraph.yaml"), atomically: true, encoding: .utf8)

        // A mistyped --db: no empty database is created, no "0 findings" report written.
        let missing = try CommandLineTool.run(["review", "--config", "idgraph.yaml", "--db", "typo.sqlite", "--out", "out"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("there is no graph database there"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("typo.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))

        // Another program's SQLite file is refused by collect and review alike, and left as it was.
        let foreign = folder.appendingPathComponent("app.sqlite")
        let queue = try DatabaseQueue(path: foreign.path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE orders (id INTEGER PRIMARY KEY)") }
        try queue.close()
        let before = try Data(contentsOf: foreign)
        for command in [["collect", "--config", "idgraph.yaml", "--db", "app.sqlite"], ["review", "--config", "idgraph.yaml", "--db", "app.sqlite"]] {
            let refused = try CommandLineTool.run(command, in: folder)
            #expect(refused.status == 2, "\(command[0]): \(refused.stderr)")
            #expect(refused.stderr.contains("a SQLite database idgraph did not create (tables: orders)"), "\(refused.stderr)")
        }
        #expect(try Data(contentsOf: foreign) == before)

        // A graph written by a newer idgraph names the schema it does not know.
        #expect(try CommandLineTool.run(["collect", "--config", "idgraph.yaml"], in: folder).status == 0)
        let graph = try DatabaseQueue(path: folder.appendingPathComponent("idgraph.sqlite").path)
        try graph.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        try graph.close()
        let newer = try CommandLineTool.run(["review", "--config", "idgraph.yaml"], in: folder)
        #expect(newer.status == 2)
        #expect(newer.stderr.contains("written by a newer idgraph (schema v99-future)"), "\(newer.stderr)")
    }
}

/// SQLite would stop at a NUL byte in an SQL file and run only what came before it.
@Suite struct QueryFileTests {
    @Test func anSQLFileWithANulByteIsRefused() throws {
        let folder = try CommandLineTool.temporaryFolder()
        try Data("SELECT 1;\u{0} DELETE FROM account".utf8).write(to: folder.appendingPathComponent("q.sql"))
        try "sources:\n  - name: hr\n    kind: roster\n    path: hr.csv\n"
            .write(to: folder.appendingPathComponent("idgraph.yaml"), atomically: true, encoding: .utf8)
        try CommandLineTests.roster.write(to: folder.appendingPathComponent("hr.csv"), atomically: true, encoding: .utf8)
        #expect(try CommandLineTool.run(["collect", "--config", "idgraph.yaml"], in: folder).status == 0)
        let query = try CommandLineTool.run(["query", "--db", "idgraph.sqlite", "--file", "q.sql"], in: folder)
        #expect(query.status == 2, "\(query.stderr)")
        #expect(query.stderr.contains("contains a NUL byte"), "\(query.stderr)")
    }
}
