import Foundation

/// Runs `body` for every element of `items`, at most `limit` at once; the
/// first error cancels the rest and is rethrown.
func forEachConcurrently<Element: Sendable>(
    _ items: some Sequence<Element>, limit: Int, _ body: @escaping @Sendable (Element) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var running = 0
        for item in items {
            if running >= max(1, limit) {
                try await group.next()
                running -= 1
            }
            group.addTask { try await body(item) }
            running += 1
        }
        try await group.waitForAll()
    }
}
