import HTTPTypes
import Hummingbird

/// The rate-limit headers and 429 responses of each system, as its API guide describes them.
enum RateLimitHeaders {
    static let limit = HTTPField.Name("X-RateLimit-Limit")!
    static let remaining = HTTPField.Name("X-RateLimit-Remaining")!
    static let reset = HTTPField.Name("X-RateLimit-Reset")!
    static let procoreLimit = HTTPField.Name("X-Rate-Limit-Limit")!
    static let procoreRemaining = HTTPField.Name("X-Rate-Limit-Remaining")!
    static let procoreReset = HTTPField.Name("X-Rate-Limit-Reset")!

    /// Headers sent with every admitted response and with the 429.
    ///
    /// - ProofHub: "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset … Retry-After header: No" (proofhub.txt).
    /// - Procore: "X-Rate-Limit-Limit, X-Rate-Limit-Remaining, and X-Rate-Limit-Reset. Retry-After header is included on 429" (procore.txt).
    /// - ProcessMaker (Laravel throttle): X-RateLimit-Limit and -Remaining always; Retry-After and X-RateLimit-Reset on 429.
    /// - Process Street: headers "Unknown"; only Retry-After on 429.
    /// - Streak: headers and Retry-After "Unknown" ("absence of Retry-After headers", streak.txt): a bare 429.
    static func fields(_ system: SimulatedSystem, _ decision: RollingWindow.Decision) -> HTTPFields {
        var fields = HTTPFields()
        switch system {
        case .proofHub:
            fields[limit] = String(decision.limit)
            fields[remaining] = String(decision.remaining)
            fields[reset] = String(decision.resetEpochSeconds)
        case .procore:
            fields[procoreLimit] = String(decision.limit)
            fields[procoreRemaining] = String(decision.remaining)
            fields[procoreReset] = String(decision.resetEpochSeconds)
            if !decision.allowed { fields[.retryAfter] = String(decision.retryAfterSeconds) }
        case .processMaker:
            fields[limit] = String(decision.limit)
            fields[remaining] = String(decision.remaining)
            if !decision.allowed {
                fields[.retryAfter] = String(decision.retryAfterSeconds)
                fields[reset] = String(decision.resetEpochSeconds)
            }
        case .processStreet:
            if !decision.allowed { fields[.retryAfter] = String(decision.retryAfterSeconds) }
        case .streak:
            break
        }
        return fields
    }

    /// The 429 response body each vendor sends.
    static func tooManyRequests(_ system: SimulatedSystem, headers: HTTPFields) -> SimulatedResponse {
        switch system {
        case .processStreet: .error(.tooManyRequests, "message", "Too Many Requests", headers: headers)
        case .proofHub: .error(.tooManyRequests, "error", "Rate limit exceeded. Retry after the X-RateLimit-Reset time.", headers: headers)
        case .streak: .error(.tooManyRequests, "error", "Rate limit exceeded", headers: headers)
        case .processMaker: .error(.tooManyRequests, "message", "Too Many Attempts.", headers: headers)
        case .procore: .error(.tooManyRequests, "errors", "Rate limit exceeded for this OAuth application.", headers: headers)
        }
    }
}
