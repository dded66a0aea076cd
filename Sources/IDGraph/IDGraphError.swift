/// How a command ends, as the README's "Exit status" defines it.
public enum ExitStatus: Int32, Sendable {
    /// Everything worked.
    case success = 0
    /// The job ran but something failed (a source, a rule).
    case failure = 1
    /// Bad usage or configuration: nothing was done.
    case usage = 2
}

/// An error that explains itself: what failed, where, and what to do.
///
/// Every error idgraph reports conforms, so the command line can print its
/// ``description`` and exit with its ``exitStatus``. Descriptions never carry a
/// secret: credentials are ``Secret`` values, which print as `[redacted]`.
public protocol IDGraphError: Error, CustomStringConvertible, Sendable {
    /// The exit status of a command that ends with this error.
    var exitStatus: ExitStatus { get }
}
