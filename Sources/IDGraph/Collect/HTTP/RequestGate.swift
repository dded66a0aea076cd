/// Bounds how many requests of one source are in flight at once
/// (`max_concurrency`), however the collector nests its concurrent listings.
actor RequestGate {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a gate with `permits` slots (at least one).
    init(permits: Int) {
        available = max(1, permits)
    }

    /// Waits for a slot.
    func enter() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Frees a slot, handing it to the longest waiter.
    func leave() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding a slot.
    func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await body()
    }
}
