import Mustache

// The rows of the page answer Mustache's lookups directly instead of through
// `Mirror`, which costs a reflection per name and dominates rendering when a
// report lists hundreds of thousands of accounts. Names must match the fields.

extension HTMLPage.AccessRowView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "person": person
        case "personEmail": personEmail
        case "department": department
        case "hasDepartment": hasDepartment
        case "rosterStatus": rosterStatus
        case "rosterStatusClass": rosterStatusClass
        case "source": source
        case "accountID": accountID
        case "email": email
        case "name": name
        case "role": role
        case "isAdmin": isAdmin
        case "status": status
        case "lastSeen": lastSeen
        case "lastSeenDay": lastSeenDay
        case "created": created
        case "createdDay": createdDay
        case "containers": containers
        case "containerCount": containerCount
        case "hasContainers": hasContainers
        case "stale": stale
        case "findings": findings
        case "hasFindings": hasFindings
        case "ruleList": ruleList
        default: nil
        }
    }
}

extension HTMLPage.FindingTag: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "rule": rule
        case "severity": severity
        case "detail": detail
        default: nil
        }
    }
}

extension HTMLPage.FindingView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "rule": rule
        case "severity": severity
        case "severityRank": severityRank
        case "source": source
        case "stale": stale
        case "accountID": accountID
        case "email": email
        case "name": name
        case "detail": detail
        default: nil
        }
    }
}
