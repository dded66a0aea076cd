import Crypto
import Foundation

/// One account of a review campaign, as it was when the campaign started:
/// later collects never change it. Its reviewer may change by delegation.
public struct CampaignItem: Sendable, Hashable {
    /// The item's number, 1-based, in access-list order.
    public var item: Int
    /// The source instance.
    public var source: String
    /// The source's id of the account.
    public var accountID: String
    /// The email as the source gave it.
    public var email: String?
    /// The display name in the source.
    public var name: String?
    /// The roster person the account belongs to.
    public var personEmail: String?
    /// The roster person's name.
    public var personName: String?
    /// The roster person's department.
    public var department: String?
    /// The roster person's status.
    public var rosterStatus: String?
    /// The roster person's manager.
    public var managerEmail: String?
    /// The source's role name.
    public var role: String?
    /// Whether the account is an administrator.
    public var isAdmin: Bool
    /// `active`, `invited` or `inactive`.
    public var status: String
    /// The last activity the source reported.
    public var lastSeen: String?
    /// When the account was created.
    public var created: String?
    /// The names of its direct memberships.
    public var memberships: [String]
    /// `human`, `service` or `external`.
    public var accountType: String?
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
    public var needsReasonToKeep: Bool { isAdmin || !findings.isEmpty }

    /// The findings as one cell: `rule (severity): detail`, separated by `; `.
    public var findingsText: String {
        findings.map { "\($0.rule) (\($0.severity)): \($0.detail)" }.joined(separator: "; ")
    }

    /// The memberships as one cell: a JSON array of names, as in accounts.csv.
    public var membershipsText: String {
        let output = BufferedFileOutput()
        output.append(UInt8(ascii: "["))
        for (index, name) in memberships.enumerated() {
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
            ("item", String(item)), ("source", source), ("account_id", accountID), ("email", email ?? ""),
            ("name", name ?? ""), ("person_email", personEmail ?? ""), ("person_name", personName ?? ""),
            ("department", department ?? ""), ("roster_status", rosterStatus ?? ""), ("role", role ?? ""),
            ("is_admin", isAdmin ? "1" : "0"), ("status", status), ("last_seen", lastSeen ?? ""),
            ("created", created ?? ""), ("memberships", membershipsText), ("account_type", accountType ?? ""),
            ("findings", findingsText),
        ]
    }

    /// The fingerprint of the access itself, for carrying a `keep` forward to
    /// the next campaign: the account, its person, role, admin flag, status,
    /// memberships and type; not the item number, names or last activity,
    /// which change without the access changing.
    public var accessFingerprint: String {
        Self.digest([
            source, accountID, personEmail ?? "", role ?? "", isAdmin ? "1" : "0", status, membershipsText, accountType ?? "",
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
