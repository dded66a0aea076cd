import AsyncHTTPClient

/// Procore (api-docs/procore.txt): company users, projects and project users,
/// OAuth 2.0 client credentials, `page`/`per_page` pages with an `X-Total` header.
///
/// Status: `is_active == true` → active, anything else inactive. Email:
/// `email_address`, falling back to `login`. A membership's role is the
/// project's `permission_template_id`. Inactive users keep their project
/// memberships (the `deactivated-with-access` rule needs them).
///
/// Admin: the company-level `permission_template_id` is in the source's
/// `admin_permission_templates`, or the account holds such a template on any
/// project: an administrator of one project is an administrator an access
/// review must see. Projects are therefore read before users, so that each
/// account is written once, already knowing its project templates.
struct ProcoreCollector: SaaSCollector {
    /// The largest page of company users the API serves (the guide: 10,000).
    static let userPageSize = 10_000
    /// The page size for projects and project users (the guide's examples use 100;
    /// the same `per_page` limit applies).
    static let pageSize = 10_000

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        guard let companyID = source.companyID else {
            throw CollectionError(source: source.name, message: "The source has no 'company_id'. Add it to the configuration.")
        }
        let adminTemplates = Set(source.adminPermissionTemplates)
        let projectAdmins = AccountSet()
        let style = PageStyle.page(size: "per_page", pageSize: Self.pageSize)
        try await api.collectContainers(
            Listing(path: "/projects", query: [("company_id", companyID)], style: style), into: sink,
            container: { record in
                record["id"].id.map { Container(containerID: $0, type: .project, name: record["name"].text) }
            },
            members: { project in
                Listing(path: "/projects/\(PathComponent.escape(project.containerID))/users", style: style)
            },
            member: { record, project in
                guard let id = record["id"].id else { return nil }
                let template = record["permission_template_id"].id
                if let template, adminTemplates.contains(template) { projectAdmins.insert(id) }
                return .account(Membership(containerID: project.containerID, accountID: id, role: template))
            })
        let admins = projectAdmins.snapshot()
        try await api.collectAccounts(
            Listing(path: "/companies/\(PathComponent.escape(companyID))/users", style: .page(pageSize: Self.userPageSize)),
            into: sink
        ) { Self.account($0, adminTemplates: adminTemplates, projectAdmins: admins) }
    }

    /// Maps one company user.
    static func account(_ record: JSONValue, adminTemplates: Set<String>, projectAdmins: Set<String>) -> Account? {
        guard let id = record["id"].id else { return nil }
        let template = record["permission_template_id"].id
        let isAdmin = template.map(adminTemplates.contains) == true || projectAdmins.contains(id)
        return Account(
            accountID: id, email: record["email_address"].text ?? record["login"].text,
            name: record["name"].text ?? PersonName.join(record["first_name"].text, record["last_name"].text),
            role: template, isAdmin: isAdmin, status: record["is_active"].bool == true ? .active : .inactive,
            created: record["created_at"].date)
    }
}
