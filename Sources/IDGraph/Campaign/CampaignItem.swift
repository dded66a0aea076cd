import Crypto
import Foundation

/// One account of a review campaign, as it was when the campaign started:
/// later collects never change it. Its reviewer may change by delegation.
@dynamicMemberLookup
public struct CampaignItem: Sendable, Hashable {
    /// The item's number, 1-based, in access-list order.
    public var item: Int
    /// The account and its person, as the access list showed them; its members are read as the
    /// item's own.
    public var access: AccountAccess
    /// The findings on the account when the campaign started.
    public var findings: [Note]
    /// Who reviews it now; `nil` when nobody in the chain can.
    public var reviewer: String?
    /// Who it was assigned to when the campaign started.
    public var assignedReviewer: String?
    /// Why this reviewer: the chain step chosen and every reviewer passed over, with the reason.
    public var reviewerReason: String
    /// The fingerprint of the frozen values (``computeFingerprint()``).
    public var fingerprint: String = ""

    /// A member of ``access``.
    public subscript<Value>(dynamicMember member: KeyPath<AccountAccess, Value>) -> Value { access[keyPath: member] }

    /// A finding as the item keeps it.
    public struct Note: Sendable, Hashable, Codable {
        /// The rule id.
        public var rule: String
        /// Its severity.
        public var severity: String
        /// What the rule saw.
        public var detail: String
    }

    /// Whether a `keep` needs a reason: admins and flagged accounts.
    public var needsReasonToKeep: Bool { access.isAdmin || !findings.isEmpty }

    /// The findings as one cell: `rule (severity): detail`, separated by `; `.
    public var findingsText: String {
        findings.map { "\($0.rule) (\($0.severity)): \($0.detail)" }.joined(separator: "; ")
    }

    /// The memberships as one cell: a JSON array of names, as in accounts.csv.
    public var membershipsText: String {
        let output = BufferedFileOutput()
        output.append(UInt8(ascii: "["))
        for (index, name) in access.memberships.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONString.append(name, to: output)
        }
        output.append(UInt8(ascii: "]"))
        output.close()
        return String(decoding: output.written, as: UTF8.self)
    }

    /// The frozen values a worksheet shows, by column name, as text.
    public var frozenValues: [(column: String, value: String)] {
        [
            ("item", String(item)), ("source", access.source), ("account_id", access.accountID),
            ("email", access.email ?? ""), ("name", access.name ?? ""), ("person_email", access.personEmail ?? ""),
            ("person_name", access.personName ?? ""), ("department", access.department ?? ""),
            ("roster_status", access.rosterStatus ?? ""), ("role", access.role ?? ""),
            ("is_admin", access.isAdmin ? "1" : "0"), ("status", access.status), ("last_seen", access.lastSeen ?? ""),
            ("created", access.created ?? ""), ("memberships", membershipsText),
            ("account_type", access.accountType ?? ""),
            ("findings", findingsText),
        ]
    }

    /// The fingerprint of the access itself, for carrying a `keep` forward to
    /// the next campaign: the account, its person, role, admin flag, status,
    /// memberships and type; not the item number, names or last activity,
    /// which change without the access changing.
    public var accessFingerprint: String {
        Self.digest([
            access.source, access.accountID, access.personEmail ?? "", access.role ?? "", access.isAdmin ? "1" : "0",
            access.status, membershipsText, access.accountType ?? "",
        ])
    }

    private static func digest(_ values: [String]) -> String {
        var hasher = SHA256()
        for text in values {
            hasher.update(data: Data("\(text.utf8.count):".utf8))
            hasher.update(data: Data(text.utf8))
        }
        return Digest.hex(hasher.finalize().prefix(16))
    }

    /// The first 32 hex digits of the SHA-256 of the frozen values, each
    /// length-prefixed so no two sets of values share a fingerprint by
    /// moving text from one column to the next.
    public func computeFingerprint() -> String {
        Self.digest(frozenValues.flatMap { [$0.column, $0.value] })
    }
}

/// What a reviewer decides about an item.
public enum CampaignDecision: String, Sendable, CaseIterable {
    /// The access stays.
    case keep
    /// The access goes.
    case revoke
    /// The access stays, changed (a lower role, fewer memberships).
    case modify
    /// The reviewer cannot tell; the item stays open for someone who can.
    case dontKnow = "dont-know"

    /// Whether a reason is required whatever the item.
    public var needsReason: Bool { self == .revoke || self == .modify }
}

/// A campaign as stored.
public struct Campaign: Sendable, Hashable {
    /// The database id.
    public var id: Int64
    /// The campaign's unique name (`2026-Q4`).
    public var name: String
    /// `open` or `closed`.
    public var status: String
    /// When it started.
    public var startedAt: String
    /// The due day, `YYYY-MM-DD`.
    public var due: String?
    /// The sources in scope.
    public var sources: [String]
    /// The reason given to start with stale or failed sources.
    public var allowStale: String?
    /// The review run whose findings the items carry.
    public var reviewRunID: Int64?
    /// The latest snapshot when the campaign started.
    public var snapshotID: Int64?
    /// When it was closed.
    public var closedAt: String?

    /// Whether decisions may still be imported.
    public var isOpen: Bool { status == "open" }
}

/// A campaign command that cannot do what was asked: exit 2, nothing changed.
public struct CampaignError: IDGraphError {
    /// What is wrong and what to do.
    public var message: String
    /// The file (and line) the problem is in, when there is one.
    public var location: String?

    /// Creates the error.
    public init(_ message: String, location: String? = nil) {
        self.message = message
        self.location = location
    }

    public var exitStatus: ExitStatus { .usage }
    public var description: String { location.map { "\($0): \(message)" } ?? message }
}
