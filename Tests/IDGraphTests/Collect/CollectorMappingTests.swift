import Foundation
import Testing

@testable import IDGraph

/// How one JSON record becomes an account, for the shapes real APIs send
/// beyond what the simulator does: ids as numbers or text, booleans as 0/1 or
/// text, extra fields, nulls.
@Suite struct CollectorMappingTests {
    private func json(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Data(text.utf8))
    }

    @Test func processStreetStatusAndRole() throws {
        let invited = try #require(
            ProcessStreetCollector.account(
                try json(#"{"id": "mem_1", "email": "A@x.com", "role": "ADMIN", "status": "invited", "extra": [1]}"#)))
        #expect(invited.status == .invited && invited.isAdmin)
        let other = try #require(ProcessStreetCollector.account(try json(#"{"id": 7, "status": "deactivated"}"#)))
        #expect(other.accountID == "7" && other.status == .inactive && !other.isAdmin)
        #expect(ProcessStreetCollector.account(try json(#"{"email": "no-id@x.com"}"#)) == nil)
    }

    @Test func proofHubAbsentStatusIsActiveAndOwnerIsAdmin() throws {
        let owner = try #require(ProofHubCollector.account(try json(#"{"id": "101", "role": "owner", "status": null}"#)))
        #expect(owner.status == .active && owner.isAdmin)
        let inactive = try #require(ProofHubCollector.account(try json(#"{"id": 102, "role": "member", "status": "inactive"}"#)))
        #expect(inactive.status == .inactive && !inactive.isAdmin)
    }

    @Test func streakAdminAsNumberAndMillisecondTimestamps() throws {
        let user = try #require(
            StreakCollector.account(
                try json(#"{"key": "agx1", "isOrgAdmin": 1, "lastSeenTimestamp": "1735689600000", "creationTimestamp": 1735689600}"#)))
        #expect(user.isAdmin && user.status == .active && user.role == "admin")
        #expect(user.lastSeen == Date(timeIntervalSince1970: 1_735_689_600))
        #expect(user.created == Date(timeIntervalSince1970: 1_735_689_600))
    }

    @Test func processMakerSoftDeletedIsInactive() throws {
        let deleted = try #require(
            ProcessMakerCollector.account(
                try json(#"{"id": 5, "status": "ACTIVE", "deleted_at": "2025-01-01T00:00:00.000000Z", "is_administrator": "true", "loggedin_at": "2025-01-01 10:00:00"}"#)))
        #expect(deleted.status == .inactive && deleted.isAdmin)
        #expect(deleted.lastSeen == Date(timeIntervalSince1970: 1_735_725_600))
        let nested = ProcessMakerCollector.member(
            try json(#"{"member_id": 9, "member_type": "ProcessMaker\\Models\\Group"}"#),
            of: Container(containerID: "1", type: .group, name: nil))
        guard case .container(let edge) = nested else {
            Issue.record("a group member that is a group is an edge")
            return
        }
        #expect(edge == ContainerEdge(parentID: "1", childID: "9"))
    }

    @Test func procoreAdminByTemplateAndEmailFallback() throws {
        let record = try json(#"{"id": 9876, "login": "jane@x.com", "email_address": " ", "is_active": "true", "permission_template_id": "101"}"#)
        let admin = try #require(ProcoreCollector.account(record, adminTemplates: ["101"], projectAdmins: []))
        #expect(admin.isAdmin && admin.status == .active && admin.email == "jane@x.com")
        let projectAdmin = try #require(
            ProcoreCollector.account(
                try json(#"{"id": 1, "is_active": false, "permission_template_id": null}"#), adminTemplates: ["101"],
                projectAdmins: ["1"]))
        #expect(projectAdmin.isAdmin && projectAdmin.status == .inactive)
    }
}
