import GRDB

/// A write to the graph database that the disk refused: it is full (`SQLITE_FULL`) or failing
/// (`SQLITE_IOERR`, such as a write the file system rejected).
public struct DiskWriteError: IDGraphError {
    /// What was being written: `source 'hr'`, `review`.
    public var subject: String
    /// The database file.
    public var path: String
    /// What of the work was kept, in whole sentences.
    public var consequence: String
    /// The command to run again once the disk has room.
    public var command: String
    /// Whether the disk was full; otherwise it failed a write.
    public var full: Bool
    /// What SQLite said.
    public var sqliteMessage: String

    /// A disk error for `error`, when SQLite reported one; `nil` for any other error.
    public init?(_ error: any Error, subject: String, path: String, consequence: String, command: String) {
        guard let error = error as? DatabaseError,
            error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR
        else { return nil }
        self.subject = subject
        self.path = path
        self.consequence = consequence
        self.command = command
        full = error.resultCode == .SQLITE_FULL
        sqliteMessage = error.message ?? error.resultCode.description
    }

    public var exitStatus: ExitStatus { .failure }

    public var description: String {
        let cause = full ? "the disk is full" : "the disk refused a write (\(sqliteMessage))"
        let action = full
            ? "Free space on the disk that holds \(path) and run \(command) again."
            : "Check the disk that holds \(path) (is it full, read-only or failing?) and run \(command) again."
        return "\(subject): the graph database at \(path) could not be written: \(cause). \(consequence) \(action)"
    }
}
