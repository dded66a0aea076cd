/// Which requests a fault applies to: counted per fault among the requests whose path matches,
/// after authentication and rate limiting, so a retry test can say exactly which request fails.
public struct FaultTrigger: Sendable, Hashable {
    /// The path after the system's base path (`/members`, `/groups/*/members`); `*` matches one segment; nil matches every API path.
    public var path: String?
    /// 1-based numbers of the matching requests that get the fault (empty: see `everyNth`).
    public var requestNumbers: Set<Int>
    /// Every Nth matching request gets the fault (when `requestNumbers` is empty); 1 means every request.
    public var everyNth: Int

    /// The listed matching requests (1-based), e.g. `.requests(3, path: "/members")` for the third page request.
    public static func requests(_ numbers: Int..., path: String? = nil) -> FaultTrigger {
        FaultTrigger(path: path, requestNumbers: Set(numbers), everyNth: 0)
    }

    /// The first `count` matching requests.
    public static func first(_ count: Int, path: String? = nil) -> FaultTrigger {
        // With no numbers and no period the trigger never fires, which is what "the first 0" means.
        FaultTrigger(path: path, requestNumbers: count > 0 ? Set(1...count) : [], everyNth: 0)
    }

    /// Every `n`th matching request (n, 2n, 3n…).
    public static func everyNth(_ n: Int, path: String? = nil) -> FaultTrigger {
        FaultTrigger(path: path, requestNumbers: [], everyNth: max(n, 1))
    }

    /// Every request.
    public static let always = FaultTrigger(path: nil, requestNumbers: [], everyNth: 1)

    /// Whether the `number`th matching request gets the fault.
    func fires(onRequest number: Int) -> Bool {
        requestNumbers.isEmpty ? (everyNth > 0 && number % everyNth == 0) : requestNumbers.contains(number)
    }

    /// Whether a path below the base path matches `path`.
    func matches(_ segments: [Substring]) -> Bool {
        guard let path else { return true }
        let pattern = path.split(separator: "/")
        guard pattern.count == segments.count else { return false }
        return zip(pattern, segments).allSatisfy { $0 == "*" || $0 == $1 }
    }
}

/// The kinds of failure the simulator can inject; the raw value is the name `--faults` accepts.
public enum FaultKind: String, Sendable, Hashable, CaseIterable {
    /// Status 200 with a JSON body cut short (the `Content-Length` matches the cut body).
    case truncatedBody = "truncated-body"
    /// Status 503 with an HTML error page instead of JSON, like a load balancer in front of the API.
    case htmlServiceUnavailable = "html-503"
    /// Headers and part of the body are sent, then the connection is closed.
    case connectionDrop = "connection-drop"
    /// The response is delayed by `SimulatedFault.delayMilliseconds`.
    case slowResponse = "slow"
    /// The headers come at once, then the body a tenth at a time over `SimulatedFault.delayMilliseconds`:
    /// a server that never lets a timeout between reads fire.
    case slowBody = "slow-body"
    /// The response carries the header `SimulatedFault.header`, replacing the vendor's own value: a hostile
    /// or broken value such as `X-RateLimit-Reset: 99999999999999999999` or `Total: 9223372036854775807`.
    case header = "header"
    /// The request is answered with the vendor's 429 whose `Retry-After` is `SimulatedFault.header`'s value
    /// (`1e300` by default).
    case retryAfter = "retry-after"
}

/// A response header a fault sets.
public struct SimulatedHeader: Sendable, Hashable {
    /// The header's name, as sent.
    public var name: String
    /// Its value, as sent: not checked, for it is meant to be hostile.
    public var value: String

    /// The header `name: value`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One fault switch: a kind, the systems it affects and the requests it hits.
public struct SimulatedFault: Sendable, Hashable {
    /// What goes wrong.
    public var kind: FaultKind
    /// The systems affected; empty means all.
    public var systems: Set<SimulatedSystem>
    /// Which requests.
    public var trigger: FaultTrigger
    /// Delay for `.slowResponse`.
    public var delayMilliseconds: Int
    /// The header `.header` sets (name and value); for `.retryAfter`, the value of `Retry-After`.
    public var header: SimulatedHeader?

    /// A fault of `kind` on `systems` (empty: all) for the requests `trigger` selects.
    public init(
        _ kind: FaultKind, systems: Set<SimulatedSystem> = [], trigger: FaultTrigger = .always, delayMilliseconds: Int = 2000,
        header: SimulatedHeader? = nil
    ) {
        self.kind = kind
        self.systems = systems
        self.trigger = trigger
        self.delayMilliseconds = delayMilliseconds
        self.header = header
    }

    /// Whether the fault concerns `system`.
    func applies(to system: SimulatedSystem) -> Bool { systems.isEmpty || systems.contains(system) }
}
