import Foundation
import Synchronization

/// The mutable state of one simulated system: counters, rate-limit windows, fault counters, issued tokens.
///
/// Requests run concurrently on NIO threads; a mutex keeps each update atomic and lets
/// `SimulatorCluster.stats(_:)` read a consistent snapshot synchronously.
public final class SystemState: Sendable {
    /// A fresh state with zero counters.
    public init() {}

    private struct State {
        var stats = SimulatorStats()
        var window = RollingWindow()
        var faultCounters: [SimulatedFault: Int] = [:]
        var tokens: [String: (issuedAt: Double, clientID: String)] = [:]
        var tokenSerial = 0
    }

    private let state = Mutex(State())

    /// The counters now, as `GET /__stats` reports them.
    public func snapshot() -> SimulatorStats { state.withLock { $0.stats } }

    func update(_ change: (inout SimulatorStats) -> Void) { state.withLock { change(&$0.stats) } }

    /// Counts a response by its status.
    func record(status: Int) {
        update { stats in
            if status == 401 { stats.unauthorized += 1 }
            if status == 429 { stats.rateLimited += 1 }
            if (400..<500).contains(status) { stats.clientErrors += 1 }
            if status >= 500 { stats.serverErrors += 1 }
        }
    }

    func admit(key: String, limit: RateLimit) -> RollingWindow.Decision {
        state.withLock { $0.window.admit(key: key, limit: limit, now: Date().timeIntervalSince1970) }
    }

    /// Advances the counters of the faults whose path matches and returns those that fire on this request.
    func firingFaults(_ faults: [SimulatedFault], segments: [Substring]) -> [SimulatedFault] {
        state.withLock { state in
            faults.filter { fault in
                guard fault.trigger.matches(segments) else { return false }
                let number = state.faultCounters[fault, default: 0] + 1
                state.faultCounters[fault] = number
                let fires = fault.trigger.fires(onRequest: number)
                if fires { state.stats.faultsInjected += 1 }
                return fires
            }
        }
    }

    /// Issues a new access token for a client.
    func issueToken(clientID: String) -> String {
        state.withLock { state in
            state.tokenSerial += 1
            let token = "pcat_\(state.tokenSerial)_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            state.tokens[token] = (Date().timeIntervalSince1970, clientID)
            return token
        }
    }

    /// The client of a token that is still alive after `lifetime` seconds, or nil when unknown or expired.
    func client(ofToken token: String, lifetime: Double) -> String? {
        state.withLock { state in
            guard let entry = state.tokens[token], Date().timeIntervalSince1970 - entry.issuedAt < lifetime else { return nil }
            return entry.clientID
        }
    }
}
