/// A small deterministic random generator (SplitMix64), so a seed always yields the same company.
///
/// `SystemRandomNumberGenerator` is not seedable and Foundation's generators differ across platforms;
/// SplitMix64 is tiny, fast and gives identical sequences on every machine.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly chosen integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// A lowercase hexadecimal string of `length` characters.
    mutating func hex(_ length: Int) -> String {
        var text = ""
        while text.utf8.count < length {
            // The top bit forces 16 digits, so every draw contributes exactly 15 random ones after the leading "8"-"f".
            text += String(String(next() | (1 << 63), radix: 16).dropFirst())
        }
        return String(text.prefix(length))
    }
}
