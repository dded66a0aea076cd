import AsyncHTTPClient
import Foundation

extension SourceKind {
    /// Procore.
    public static let procore = SourceKind(rawValue: "procore")
}

/// Procore (docs/sources.md, "Procore"): company users, projects and project
/// users, OAuth 2.0 client credentials, the `Procore-Company-Id` header on
/// every request, `page`/`per_page` pages with a `Total` header.
///
/// The user lists hold active users only: `/users/inactive` beside each lists
/// the others, and inactive users keep their project memberships (the
/// `deactivated-with-access` rule needs them). A membership's role is the
/// project permission template's name.
///
/// Admin: the user's `company_permission_template` (or default
/// `permission_template`) is in the source's `admin_permission_templates`, by
/// id or by name, or the user holds such a template on any project: an
/// administrator of one project is one an access review must see. Projects are
/// therefore read before users, so each account is written once, already
/// knowing its project templates. `is_employee: false` is an external account.
struct ProcoreCollector: SaaSCollector {
    /// The `per_page` asked for: Procore recommends at most 2,000; paging follows `Total`.
    static let pageSize = 2_000

    static let descriptor = SourceDescriptor(
        kind: .procore, displayName: "Procore",
        keys: [
            .optional("base_url", "the REST API root", default: "https://api.procore.com/rest/v1.0"),
            .optional("token_url", "the OAuth token endpoint", default: "https://login.procore.com/oauth/token"),
            .credential("client_id", "the service account's OAuth client id", variable: "PROCORE_CLIENT_ID"),
            .credential("client_secret", "the service account's OAuth client secret", variable: "PROCORE_CLIENT_SECRET"),
            .required("company_id", "your numeric company id, sent as Procore-Company-Id on every request", example: "12345"),
            .optional(
                "admin_permission_templates",
                "the permission templates (ids or names) that make an admin; without it, admins are not checked",
                example: "[101, \"Company Admin\"]"),
        ],
        retiredKeys: ["token": "Procore uses OAuth client credentials: set 'client_id' and 'client_secret' (and 'token_url' only for a non-standard login host)."],
        authentication: .oauthClientCredentials,
        exposes: .init(activity: true, admin: true),
        // Which templates make an admin is the company's own choice: without the list, admins are not checked.
        adminExposed: { !$0.adminPermissionTemplates.isEmpty },
        makeCollector: make, check: check, removal: removal)

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    /// Procore rejects any request without the company it is made for.
    var requestHeaders: [(String, String)] {
        source.companyID.map { [("Procore-Company-Id", $0)] } ?? []
    }

    static func listing(_ path: String, query: [(String, String)] = []) -> Listing {
        Listing(path: path, query: query, style: .page(pageSize: pageSize))
    }

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        guard let companyID = source.companyID else {
            throw CollectionError(source: source.name, message: "The source has no 'company_id'. Add it to the configuration.")
        }
        let adminTemplates = AdminTemplates(source.adminPermissionTemplates)
        let projectAdmins = AccountSet()
        try await api.collectContainers(
            Self.listing("/projects", query: [("company_id", companyID)]), into: sink,
            container: { record in
                record["id"].id.map { Container(containerID: $0, type: .project, name: record.first("name", "display_name").text) }
            },
            members: { project in
                let id = PathComponent.escape(project.containerID)
                return [Self.listing("/projects/\(id)/users"), Self.listing("/projects/\(id)/users/inactive")]
            },
            member: { record, project in
                guard let id = record["id"].id else { return nil }
                let template = record["permission_template"]
                if adminTemplates.contains(template) { projectAdmins.insert(id) }
                return .account(
                    Membership(containerID: project.containerID, accountID: id, role: template["name"].text ?? template["id"].id))
            })
        let admins = projectAdmins.snapshot()
        let users = "/companies/\(PathComponent.escape(companyID))/users"
        for (path, active) in [(users, true), (users + "/inactive", false)] {
            try await api.collectAccounts(Self.listing(path), into: sink) {
                Self.account($0, listedActive: active, adminTemplates: adminTemplates, projectAdmins: admins)
            }
        }
    }

    /// One company user: the client credentials and the company id accepted, and the company's active
    /// users; then whether admins can be told apart.
    func probe(with api: APIClient, into log: CheckLog) async throws {
        guard let companyID = source.companyID else {
            throw CollectionError(source: source.name, message: "The source has no 'company_id'. Add it to the configuration.")
        }
        let users = "/companies/\(PathComponent.escape(companyID))/users"
        do {
            let page = try await api.firstPage(Listing(path: users, style: .page(pageSize: 1)))
            log.ok("The client credentials are accepted, and company \(companyID) answers: \(page.total.map(String.init) ?? "some") active users.")
        } catch let error as CollectionError where [400, 403, 404].contains(error.httpStatus ?? 0) {
            log.fail(
                "Procore refused company \(companyID) (HTTP \(error.httpStatus ?? 0) at \(api.displayPath(users))). Check company_id, and that the service account is in that company's Directory with read access (docs/sources.md, \"Procore\").")
            return
        }
        if source.adminPermissionTemplates.isEmpty {
            log.warn("No admin_permission_templates: Procore has no admin flag, so no account is an admin and the review shows over-privileged as not checked. List the templates that make an admin, by id or name (docs/sources.md, \"Procore\").")
        } else {
            log.ok("Admins are accounts holding a template among: \(source.adminPermissionTemplates.joined(separator: ", ")).")
        }
    }

    /// Maps one company user from the active or the inactive list.
    static func account(
        _ record: JSONValue, listedActive: Bool, adminTemplates: AdminTemplates, projectAdmins: Set<String>
    ) -> Account? {
        guard let id = record["id"].id else { return nil }
        let company = record["company_permission_template"]
        let project = record["permission_template"]
        let isAdmin = adminTemplates.contains(company) || adminTemplates.contains(project) || projectAdmins.contains(id)
        // The list says which users are active; a record that says otherwise is believed when it says inactive.
        let active = listedActive && record["is_active"].bool != false
        var unreadable: [UnreadableDate] = []
        let lastSeen = record.date("last_login_at", noting: &unreadable)
        let created = record.date("created_at", noting: &unreadable)
        var account = Account(
            accountID: id, email: record["email_address"].text ?? record["login"].text,
            name: record["name"].text ?? PersonName.join(record["first_name"].text, record["last_name"].text),
            role: company["name"].text ?? project["name"].text, isAdmin: isAdmin, status: active ? .active : .inactive,
            lastSeen: lastSeen, created: created,
            accountType: record["is_employee"].bool == false ? .external : .human)
        account.unreadableDates = unreadable
        return account
    }
}

/// The permission templates that make an administrator, by id or by name.
struct AdminTemplates: Sendable {
    private let ids: Set<String>
    private let names: Set<String>

    init(_ values: [String]) {
        ids = Set(values.filter { !$0.isEmpty && $0.allSatisfy(\.isNumber) })
        names = Set(values.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }

    /// Whether a template object `{id, name}` (or a bare id) is one of them.
    func contains(_ template: JSONValue) -> Bool {
        if let id = template["id"].id ?? template.id, ids.contains(id) { return true }
        if let name = template["name"].text?.trimmingCharacters(in: .whitespaces).lowercased(), names.contains(name) {
            return true
        }
        return false
    }
}

extension ProcoreCollector {
    /// procore/documentation @06dad9dd (tutorial_user_permissions.md) and Procore's generated SDK:
    /// `DELETE /projects/{project_id}/users/{id}/actions/remove`, then
    /// `PATCH /companies/{company_id}/users/{id}` with `is_active: false`. Users cannot be deleted.
    static func removal(_ target: RemovalTarget) -> Removal {
        let id = PathComponent.escape(target.accountID)
        let company = PathComponent.escape(target.source.companyID ?? "{company_id}")
        let projects = target.memberships.filter { $0.type == "project" }.map { project in
            RemovalStep(
                method: "DELETE", path: "/projects/\(PathComponent.escape(project.id))/users/\(id)/actions/remove",
                effect: "remove from project \(project.name)")
        }
        if target.action == .modify {
            return Removal(
                steps: projects.isEmpty
                    ? [RemovalStep(method: "UI", path: "Company Directory → the user → Permissions", effect: "change the permission template as the decision's reason says")]
                    : projects.map { RemovalStep(method: $0.method, path: $0.path, effect: $0.effect + " (only the projects the reviewer named)") },
                caveat: "Change only what the decision's reason names.")
        }
        return Removal(
            steps: projects + [
                RemovalStep(
                    method: "PATCH", path: "/companies/\(company)/users/\(id)",
                    body: #"{"user":{"is_active":false,"last_name":"<current>"}}"#,
                    effect: "deactivate the company user (send the header Procore-Company-Id: \(target.source.companyID ?? "<company_id>"))"),
            ],
            caveat: "Deactivation does not remove the user from projects: remove each project first (the steps above). Procore users cannot be deleted, only deactivated; the user may still belong to other Procore companies.")
    }
}
