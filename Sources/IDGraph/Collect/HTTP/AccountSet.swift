import Foundation

/// A set of account ids filled by concurrent listings (Procore's project admins).
final class AccountSet: @unchecked Sendable {
    // @unchecked: `ids` is only touched under `lock`.
    private let lock = NSLock()
    private var ids: Set<String> = []

    /// Adds `id`.
    func insert(_ id: String) {
        lock.withLock { _ = ids.insert(id) }
    }

    /// The ids so far.
    func snapshot() -> Set<String> {
        lock.withLock { ids }
    }
}
