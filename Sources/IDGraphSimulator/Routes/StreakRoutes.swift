import Foundation
import Hummingbird

/// Streak (`/api/v1`): HTTP Basic with the API key as user, one unpaginated array (streak.txt).
///
/// - Auth: "HTTP Basic Auth – API key as username, empty password", or "?api_key=YOUR_KEY (less preferred)".
/// - `GET /users/me` returns the key owner with its `orgKey`; `GET /organizations/{orgKey}/users` is
///   "No pagination; returns all members" and 403 for another organization ("Requires the authenticated user to be a member").
/// - `lastSeenTimestamp` and `creationTimestamp` are epoch milliseconds; `lastSeenTimestamp` is missing or null for
///   a user who was never seen. Every listed user is active; `isOrgAdmin` marks admins.
enum StreakRoutes {
    static func authenticate(_ request: Request, _ route: RouteRequest, valid: Set<String>) -> Authentication {
        let refusal = Authentication.refused(.error(
            .unauthorized, "error", "Authentication failed: pass your API key as the Basic auth user name with an empty password.",
            headers: [.wwwAuthenticate: "Basic realm=\"Streak API\""]))
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "basic",
                  let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
                  let pair = String(data: data, encoding: .utf8) else { return refusal }
            let user = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return valid.contains(user) ? .granted(user) : refusal
        }
        if let key = route.query["api_key"].map(String.init) {
            return valid.contains(key) ? .granted(key) : refusal
        }
        return refusal
    }

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        encoded.users = records.accounts.map { account in
            var object = JSONObject()
            object.string("key", account.id)
            object.string("email", account.email)
            object.string("displayName", account.name)
            object.string("firstName", account.firstName)
            object.string("lastName", account.lastName)
            object.string("image", "https://lh3.googleusercontent.com/a/\(account.id)")
            object.bool("isOrgAdmin", account.isAdmin)
            object.string("orgKey", company.streakOrgKey)
            object.timestamp("lastSeenTimestamp", account.lastSeen)
            object.timestamp("creationTimestamp", account.created)
            object.bool("isOauthComplete", true)
            return object.text
        }
        for (index, account) in records.accounts.enumerated() { encoded.userIndex[account.id] = index }
        var organization = JSONObject()
        organization.string("key", company.streakOrgKey)
        organization.string("name", records.containers.first?.name ?? "Organization")
        organization.string("adminKey", company.streakOwnerKey)
        encoded.containers = [organization.text]
        return encoded
    }

    static func respond(_ route: RouteRequest, _ encoded: EncodedSystem, company: Company) -> SimulatedResponse {
        let s = route.segments
        switch s.count {
        case 2 where s[0] == "users" && s[1] == "me":
            guard let index = encoded.userIndex[company.streakOwnerKey] else { return .error(.notFound, "error", "User not found") }
            return .json(encoded.users[index])
        case 3 where s[0] == "users" && s[1] == "me" && s[2] == "organization":
            return .json(encoded.containers[0])
        case 2 where s[0] == "users":
            guard let index = encoded.userIndex[String(s[1])] else { return .error(.notFound, "error", "User not found") }
            return .json(encoded.users[index])
        case 3 where s[0] == "organizations" && s[2] == "users":
            guard s[1] == company.streakOrgKey else {
                return .error(.forbidden, "error", "You are not a member of organization \(s[1]).")
            }
            return .json(JSONText.array(encoded.users))
        default: return .notFound(route.path)
        }
    }
}
