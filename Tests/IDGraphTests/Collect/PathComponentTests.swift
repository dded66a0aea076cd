@testable import IDGraph
import Testing

/// The one percent-encoding of a URL path segment: API ids in endpoint paths, and each folder of
/// the database path in `query`'s `file:` URI.
@Suite struct PathComponentTests {
    @Test(arguments: [
        ("plain-id_1.2~x", "plain-id_1.2~x"), ("a b", "a%20b"), ("a/b", "a%2Fb"), ("?#&=%", "%3F%23%26%3D%25"),
        ("José", "Jos%C3%A9"), ("日本", "%E6%97%A5%E6%9C%AC"), ("", ""),
    ])
    func onlyUnreservedCharactersStay(text: String, escaped: String) {
        #expect(PathComponent.escape(text) == escaped)
    }
}
