import Testing

@testable import IDGraph

@Suite struct EmailCanonicalizerTests {
    let canonicalizer = EmailCanonicalizer(domainAliases: ["acme.io": "acme.com", " ACME.EU ": "Acme.com"])

    @Test(arguments: [
        ("ana@acme.com", "ana@acme.com"),
        ("Ana@ACME.com", "ana@acme.com"),
        ("  ana@acme.com  ", "ana@acme.com"),
        ("\tana@acme.com\n", "ana@acme.com"),
        ("ana@acme.io", "ana@acme.com"),
        ("ANA@ACME.IO", "ana@acme.com"),
        ("ana@acme.eu", "ana@acme.com"),
        ("jose\u{301}@acme.com", "jos\u{E9}@acme.com"),  // NFD → NFC
        ("JOSE\u{301}@acme.com", "jos\u{E9}@acme.com"),
        ("ZOË@acme.com", "zoë@acme.com"),
    ])
    func joinsEquivalentForms(given: String, canonical: String) {
        #expect(canonicalizer.canonicalEmail(given) == canonical)
    }

    @Test(arguments: [
        "ana@acme.co",  // other TLD
        "ana@acme.com.evil.io",  // extra suffix
        "ana@acme-com.io",  // look-alike
        "ana@acmecom.io",  // missing dot
        "ana@acrne.com",  // typo-squat rn/m
        "ana+x@acme.com",  // plus suffix is a distinct mailbox to us
        "jose@acme.com",  // the same name without the accent
        "ana@sub.acme.io",  // alias applies to the exact domain only
    ])
    func lookAlikesDoNotJoin(given: String) {
        let canonical = canonicalizer.canonicalEmail(given)
        #expect(canonical != "ana@acme.com")
        #expect(canonical != "jos\u{E9}@acme.com")
    }

    @Test func emptyAndNilHaveNoCanonicalForm() {
        #expect(canonicalizer.canonicalEmail(nil) == nil)
        #expect(canonicalizer.canonicalEmail("") == nil)
        #expect(canonicalizer.canonicalEmail("  \t ") == nil)
    }
}
