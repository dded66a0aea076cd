import Foundation

/// A person of the HR roster, the reference accounts are joined to.
public struct Person: Sendable, Hashable {
    /// The canonical email: the join key.
    public var email: String
    /// The email as the roster gave it.
    public var givenEmail: String
    /// The full name.
    public var name: String?
    /// The department.
    public var department: String?
    /// The manager's canonical email: the reviewer of this person's access.
    public var managerEmail: String?
    /// The roster status, lower-cased: `active`, `terminated`, or the roster's own word.
    public var status: String
    /// The termination date as `YYYY-MM-DD`, when given.
    public var terminationDate: String?
    /// The line of the roster file the person was read from.
    public var line: Int?

    /// Creates a person.
    public init(
        email: String, givenEmail: String, name: String?, department: String?, managerEmail: String?,
        status: String, terminationDate: String?, line: Int?
    ) {
        self.email = email
        self.givenEmail = givenEmail
        self.name = name
        self.department = department
        self.managerEmail = managerEmail
        self.status = status
        self.terminationDate = terminationDate
        self.line = line
    }

    /// Whether the person currently works here.
    public var isActive: Bool { status == "active" }

    /// Whether this row of a roster replaces an `earlier` row of the same
    /// person: a re-hire (one terminated row, one active row) is active, so
    /// an active row wins; otherwise the later row does. The store applies
    /// the same rule (``GraphStore/insert(_:run:)``).
    public func replaces(_ earlier: Person) -> Bool {
        isActive || !earlier.isActive
    }
}
