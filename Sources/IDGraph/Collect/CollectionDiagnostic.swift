import Foundation

/// Something a collection tells about one source besides its counts: what, where, how serious.
///
/// A warning did not stop the source: its data is stored, with what the warning says of it. An
/// error did: nothing of the run was stored, and the source keeps its last good data, marked stale.
public struct CollectionDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// What the diagnostic is about.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Date values that were no date were stored as unknown.
        case unreadableDates = "unreadable-dates"
        /// A listing changed while it was read (its total moved), so it was read again.
        case listingReadAgain = "listing-read-again"
        /// Records with no id, or naming a record the source does not list, were skipped.
        case recordsSkipped = "records-skipped"
        /// Accounts the API lists in one place but not in another were stored with what is known.
        case accountsPartlyListed = "accounts-partly-listed"
        /// The credential sees less than an administrator's would; the source is read the slower,
        /// complete way.
        case limitedToken = "limited-token"
        /// The source could not be collected: nothing of the run was stored.
        case collectionFailed = "collection-failed"
        /// The source was read, but the graph database could not store it.
        case storeFailed = "store-failed"
        /// The collection was cancelled before the source finished.
        case cancelled

        /// How serious it is.
        public var severity: Severity {
            switch self {
            case .unreadableDates, .listingReadAgain, .recordsSkipped, .accountsPartlyListed, .limitedToken: .warning
            case .collectionFailed, .storeFailed, .cancelled: .error
            }
        }
    }

    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        /// The source's data is stored; the message says what to know about it.
        case warning
        /// The source was not stored.
        case error
    }

    /// What it is about.
    public var kind: Kind
    /// The source's instance name.
    public var source: String
    /// The sentence: what, where and what to do.
    public var message: String

    /// How serious it is.
    public var severity: Severity { kind.severity }

    /// Creates a diagnostic.
    public init(_ kind: Kind, source: String, message: String) {
        self.kind = kind
        self.source = source
        self.message = message
    }

    public var description: String { message }
}
