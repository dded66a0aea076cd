import Foundation
import Testing

@testable import IDGraph

/// How one JSON record becomes an account for the shapes real APIs send beyond
/// the vendors' samples: ids as numbers or text, booleans as 0/1 or text,
/// extra fields, nulls, missing keys.
@Suite struct CollectorMappingTests {
    private func json(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Data(text.utf8))
    }

    @Test func processStreetIdAsNumberAndNoIdIsSkipped() throws {
        let user = try #require(ProcessStreetCollector.account(try json(#"{"id": 7, "email": "A@x.com", "extra": [1]}"#)))
        #expect(user.accountID == "7" && user.status == .active && user.name == nil)
        #expect(ProcessStreetCollector.account(try json(#"{"email": "no-id@x.com"}"#)) == nil)
    }

    @Test func proofHubRoleAsTextOrBareIdAndSuspendedAsText() throws {
        let roles = ["5": "Owner"]
        let named = try #require(ProofHubCollector.account(try json(#"{"id": "101", "role": "admin", "suspended": null}"#), roles: roles))
        #expect(named.status == .active && named.isAdmin && named.role == "admin")
        let bare = try #require(ProofHubCollector.account(try json(#"{"id": 102, "role": 5, "suspended": "true"}"#), roles: roles))
        #expect(bare.role == "Owner" && bare.isAdmin && bare.status == .inactive)
        let none = try #require(ProofHubCollector.account(try json(#"{"id": 103}"#), roles: roles))
        #expect(none.role == nil && !none.isAdmin && none.status == .active)
    }

    @Test func streakTimestampsAsTextAndAnAcceptedSeatWinsOverAPendingOne() throws {
        let seats = [
            try json(#"{"userKey": "agx1", "role": "Owner", "inviteStatus": "Pending", "inviteDate": 1735689600000}"#),
            try json(#"{"userKey": "agx1", "role": "Member", "inviteStatus": "Accepted", "inviteDate": "1735689600000"}"#),
        ]
        let user = try json(#"{"key": "agx1", "lastSeenTimestamp": "1735689600000", "creationTimestamp": 1735689600}"#)
        let account = StreakCollector.account(key: "agx1", seats: seats, user: user)
        #expect(account.status == .active && !account.isAdmin && account.role == "Member")
        #expect(account.lastSeen == Date(timeIntervalSince1970: 1_735_689_600))
        #expect(account.created == Date(timeIntervalSince1970: 1_735_689_600))
        // A user no team lists as a member (only in /users) is still stored, as active.
        #expect(StreakCollector.account(key: "agx2", seats: [], user: user).status == .active)
    }

    @Test func processMakerBooleansAsTextAndLaravelTimestamps() throws {
        let user = try #require(
            ProcessMakerCollector.account(
                try json(#"{"id": 5, "status": "active", "is_administrator": "true", "is_system": "0", "loggedin_at": "2025-01-01 10:00:00", "active_at": null}"#)))
        #expect(user.status == .active && user.isAdmin && user.accountType == .human)
        #expect(user.lastSeen == Date(timeIntervalSince1970: 1_735_725_600))
        let deleted = try #require(ProcessMakerCollector.account(try json(#"{"id": 6, "status": "ACTIVE", "deleted_at": "2025-01-01T00:00:00+00:00"}"#)))
        #expect(deleted.status == .inactive)
        let nested = ProcessMakerCollector.member(try json(#"{"id": 77, "member_id": 9, "member_type": "ProcessMaker\\Models\\Group"}"#), of: "1")
        guard case .container(let edge) = nested else {
            Issue.record("a group member that is a group is an edge")
            return
        }
        #expect(edge == ContainerEdge(parentID: "1", childID: "9"))
        // In /groups/{id}/users the record's id is the membership row's: member_id is the user.
        guard case .account(let membership) = ProcessMakerCollector.member(try json(#"{"id": 77, "member_id": 12, "email": "x@y.z"}"#), of: "3") else {
            Issue.record("a user member is a membership")
            return
        }
        #expect(membership == Membership(containerID: "3", accountID: "12"))
    }

    @Test func procoreEmailFallsBackToLoginAndBareTemplateIds() throws {
        let record = try json(#"{"id": 9876, "login": "jane@x.com", "email_address": " ", "is_active": "true", "company_permission_template": 101}"#)
        let admin = try #require(ProcoreCollector.account(record, listedActive: true, adminTemplates: AdminTemplates(["101"]), projectAdmins: []))
        #expect(admin.isAdmin && admin.status == .active && admin.email == "jane@x.com")
        let projectAdmin = try #require(
            ProcoreCollector.account(
                try json(#"{"id": 1, "is_active": false, "permission_template": null}"#), listedActive: true,
                adminTemplates: AdminTemplates(["101"]), projectAdmins: ["1"]))
        #expect(projectAdmin.isAdmin && projectAdmin.status == .inactive)
    }
}
