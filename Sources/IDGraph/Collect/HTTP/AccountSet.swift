import Synchronization

/// A set of account ids filled by concurrent listings (Procore's project admins).
final class AccountSet: Sendable {
    private let ids = Mutex<Set<String>>([])

    /// Adds `id`.
    func insert(_ id: String) {
        _ = ids.withLock { $0.insert(id) }
    }

    /// The ids so far.
    func snapshot() -> Set<String> {
        ids.withLock { $0 }
    }
}
