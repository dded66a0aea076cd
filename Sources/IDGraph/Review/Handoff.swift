import Synchronization

/// A value one stage of a review hands to the stages that wait for it: settled once, with a value
/// or an error, and awaited by any number of tasks. A waiting task that is cancelled stops waiting
/// with `CancellationError`.
final class Handoff<Value: Sendable>: Sendable {
    private struct Waiting {
        var next = 0
        var continuations: [Int: CheckedContinuation<Value, any Error>] = [:]
    }

    private enum State {
        case waiting(Waiting)
        case settled(Result<Value, any Error>)
    }

    private let state = Mutex(State.waiting(Waiting()))

    init() {}

    /// Settles the handoff; a second call changes nothing.
    func settle(_ result: Result<Value, any Error>) {
        let waiting: [CheckedContinuation<Value, any Error>] = state.withLock { state in
            guard case .waiting(let waiting) = state else { return [] }
            state = .settled(result)
            return Array(waiting.continuations.values)
        }
        for continuation in waiting { continuation.resume(with: result) }
    }

    /// The value, once settled.
    var value: Value {
        get async throws {
            let id = state.withLock { state -> Int? in
                guard case .waiting(var waiting) = state else { return nil }
                defer { waiting.next += 1; state = .waiting(waiting) }
                return waiting.next
            }
            guard let id else { return try settled!.get() }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let result: Result<Value, any Error>? = state.withLock { state in
                        switch state {
                        case .settled(let result):
                            return result
                        case .waiting(var waiting):
                            if Task.isCancelled { return .failure(CancellationError()) }
                            waiting.continuations[id] = continuation
                            state = .waiting(waiting)
                            return nil
                        }
                    }
                    if let result { continuation.resume(with: result) }
                }
            } onCancel: {
                let continuation = state.withLock { state -> CheckedContinuation<Value, any Error>? in
                    guard case .waiting(var waiting) = state else { return nil }
                    let continuation = waiting.continuations.removeValue(forKey: id)
                    state = .waiting(waiting)
                    return continuation
                }
                continuation?.resume(throwing: CancellationError())
            }
        }
    }

    /// The result, when settled.
    var settled: Result<Value, any Error>? {
        state.withLock { state in
            if case .settled(let result) = state { return result }
            return nil
        }
    }
}
