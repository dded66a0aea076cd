import Foundation

/// A credential an account holds in its source, such as a ProcessMaker
/// personal access token: who owns it and whether it still works. Never the
/// secret itself: APIs do not return it, and nothing here could hold it.
public struct Credential: Sendable, Hashable {
    /// The source's id for the credential.
    public var credentialID: String
    /// The owning account's id.
    public var accountID: String
    /// `personal_access_token`.
    public var kind: String
    /// The name its owner gave it.
    public var name: String?
    /// When it was created.
    public var created: Date?
    /// When it expires; `nil` when it does not.
    public var expires: Date?
    /// Whether it was revoked.
    public var revoked: Bool

    /// Creates a credential.
    public init(
        credentialID: String, accountID: String, kind: String, name: String?, created: Date?, expires: Date?, revoked: Bool
    ) {
        self.credentialID = credentialID
        self.accountID = accountID
        self.kind = kind
        self.name = name
        self.created = created
        self.expires = expires
        self.revoked = revoked
    }
}
