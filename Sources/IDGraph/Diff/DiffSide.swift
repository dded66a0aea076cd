/// The earlier side of a diff as `--from` names it: a snapshot id, or
/// `campaign:NAME`, the state frozen in that campaign's items.
public enum DiffSide: Sendable, Hashable, CustomStringConvertible {
    /// The graph as of a snapshot: each source's latest good data collected in it or before.
    case snapshot(Int64)
    /// The accounts frozen in a campaign's items, with the roster as of the snapshot it started on.
    case campaign(String)

    /// The side `argument` names (`3`, `campaign:2026-Q4`), or `nil` when it names none.
    public init?(argument: String) {
        if argument.hasPrefix("campaign:") {
            let name = String(argument.dropFirst("campaign:".count))
            guard !name.isEmpty else { return nil }
            self = .campaign(name)
        } else if let id = Int64(argument), id > 0 {
            self = .snapshot(id)
        } else {
            return nil
        }
    }

    /// How reports name it: `snapshot 3`, `campaign 2026-Q4`.
    public var description: String {
        switch self {
        case .snapshot(let id): "snapshot \(id)"
        case .campaign(let name): "campaign \(name)"
        }
    }
}

/// A diff that cannot be made as asked (an unknown snapshot or campaign): exit 2, nothing written.
public struct DiffError: IDGraphError {
    /// What is wrong and what to do.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    public var exitStatus: ExitStatus { .usage }
    public var description: String { message }
}
