import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one writer of a graph database: an exclusive `flock` on `<database>.lock`, held for as long as
/// the store that took it lives.
///
/// Two `collect` runs on one database would mark each other's sources failed and delete their rows,
/// so a second writer (`collect`, `review`, `demo`) is refused at once with a message that says what to
/// do. The kernel releases the lock when its process ends, however it ends: a killed run leaves none.
final class WriterLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of the database at `path`; throws ``DatabaseBusyError`` when another process holds it.
    init(database path: String) throws {
        let lockPath = path + ".lock"
        let descriptor = Self.openFile(lockPath)
        guard descriptor >= 0 else {
            throw DatabaseBusyError(path: path, reason: "its lock file \(lockPath) cannot be opened (errno \(errno)). Check that the folder is writable.")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            Self.closeFile(descriptor)
            throw DatabaseBusyError(
                path: path,
                reason: "another idgraph command\(holder.flatMap { $0.isEmpty ? nil : " (process \($0))" } ?? "") is writing to it. idgraph runs one collect or review at a time on a database: wait for that one to finish, then run this again.")
        }
        // Who holds it, for the message another process shows.
        _ = ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        self.descriptor = descriptor
    }

    deinit {
        _ = flock(descriptor, LOCK_UN)
        Self.closeFile(descriptor)
    }

    private static func openFile(_ path: String) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #else
        Darwin.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #endif
    }

    private static func closeFile(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }
}

/// Another process is writing to the graph database, or its lock cannot be taken.
public struct DatabaseBusyError: IDGraphError {
    /// The database path.
    public var path: String
    /// Why, and what to do.
    public var reason: String

    public var exitStatus: ExitStatus { .failure }
    public var description: String { "Cannot write to the graph database at \(path): \(reason)" }
}
