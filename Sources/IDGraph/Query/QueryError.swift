/// A query that idgraph refused or SQLite rejected (exit status 2, nothing changed), or whose
/// output could not be written (exit status 1).
public struct QueryError: IDGraphError, Equatable {
    /// What was wrong and what to do.
    public var message: String
    /// 2 for the query itself; 1 when it ran but its output could not be written.
    public var exitStatus: ExitStatus

    /// Creates a query error.
    public init(_ message: String, exitStatus: ExitStatus = .usage) {
        self.message = message
        self.exitStatus = exitStatus
    }

    public var description: String { message }
}
