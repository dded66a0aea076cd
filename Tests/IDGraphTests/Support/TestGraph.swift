import Foundation

@testable import IDGraph

/// Builds small graphs in memory for tests: one completed run per call.
struct TestGraph {
    let store: GraphStore
    let canonicalizer: EmailCanonicalizer

    init(aliases: [String: String] = [:]) throws {
        store = try GraphStore.inMemory()
        canonicalizer = EmailCanonicalizer(domainAliases: aliases)
    }

    static func person(_ email: String, status: String = "active", manager: String? = nil) -> Person {
        Person(
            email: email, givenEmail: email, name: email, department: nil, managerEmail: manager, status: status,
            terminationDate: nil, line: nil)
    }

    @discardableResult
    func source(
        _ name: String, kind: SourceKind, accounts: [Account] = [], people: [Person] = [],
        containers: [Container] = [], memberships: [Membership] = [], edges: [ContainerEdge] = []
    ) async throws -> Int64 {
        let snapshot = try await store.beginSnapshot()
        let run = try await store.beginSourceRun(snapshot: snapshot, source: name, kind: kind)
        try await store.insert(accounts, run: run, canonicalizer: canonicalizer)
        try await store.insert(people, run: run)
        try await store.insert(containers, run: run)
        try await store.insert(memberships, run: run)
        try await store.insert(edges, run: run)
        try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0)
        try await store.finishSnapshot(snapshot, status: "ok")
        return run
    }
}
