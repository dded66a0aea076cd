import Foundation

/// How access is removed in one source, as its vendor documents it: the
/// requests an administrator sends (idgraph never sends them: it only reads)
/// or the steps in the vendor's admin interface, and what they leave behind.
public struct Removal: Sendable, Hashable {
    /// The steps, in order.
    public var steps: [RemovalStep]
    /// What the steps do not remove, or what to know before running them.
    public var caveat: String

    /// Creates a removal.
    public init(steps: [RemovalStep], caveat: String) {
        self.steps = steps
        self.caveat = caveat
    }

    /// For a source with no documented removal: by hand in its admin interface.
    static let manual = Removal(
        steps: [RemovalStep(method: "UI", path: "the system's user administration", effect: "remove or deactivate the account")],
        caveat: "No documented API removes access here; confirm with the next collect.")
}

/// One step of a removal: an API request, or an action in the admin interface.
public struct RemovalStep: Sendable, Hashable, Encodable {
    /// The HTTP method, or `UI` for a step in the vendor's admin interface.
    public var method: String
    /// The path below the source's `base_url`, or where in the admin interface.
    public var path: String
    /// The request body (JSON), if any.
    public var body: String?
    /// What the step does.
    public var effect: String

    /// Creates a step.
    public init(method: String, path: String, body: String? = nil, effect: String) {
        self.method = method
        self.path = path
        self.body = body
        self.effect = effect
    }

    /// The step as one line: `PATCH /users/42 {"status":"INACTIVE"} — what it does`.
    public var line: String {
        "\(method) \(path)" + (body.map { " \($0)" } ?? "") + " — \(effect)"
    }
}

/// What a removal is planned for: the account and its current memberships.
public struct RemovalTarget: Sendable {
    /// The source's account id.
    public var accountID: String
    /// The account's email.
    public var email: String?
    /// `revoke` (remove all access) or `modify` (change role or memberships).
    public var action: CampaignDecision
    /// Its current direct memberships: container id, type and name.
    public var memberships: [(id: String, type: String, name: String)]
    /// The source's configuration (company id and the like; never a secret in a step).
    public var source: SourceConfiguration

    /// The membership names, for a step's text: `none` when there are none.
    public var membershipList: String {
        memberships.isEmpty ? "none" : memberships.map(\.name).joined(separator: ", ")
    }
}
