extension Duration {
    /// The duration in seconds, as a `Double`: the one conversion the library, the benchmarks and
    /// the tests use for the times they record and print.
    package var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
