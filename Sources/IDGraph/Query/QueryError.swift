/// A query that idgraph refused or SQLite rejected: exit status 2, nothing changed.
public struct QueryError: IDGraphError, Equatable {
    /// What was wrong and what to do.
    public var message: String

    /// Creates a query error.
    public init(_ message: String) {
        self.message = message
    }

    public var exitStatus: ExitStatus { .usage }
    public var description: String { message }
}
