/// The one encoding of a CSV cell (the README, "Reports"): RFC 4180 quoting and the rule of
/// ``formulaSafe(_:)``, written from UTF-8 bytes straight into a buffered output.
package enum CSVCell {
    /// Appends one cell: `'` before a formula start (unless `neutralizingFormulas` is false, for a
    /// number that is a number, or for data such as a roster that another program reads back),
    /// quoted when it holds a comma, quote or line break or starts or ends with a space or tab,
    /// quotes doubled.
    static func append(
        _ bytes: UnsafeBufferPointer<UInt8>, neutralizingFormulas: Bool = true, to output: BufferedFileOutput
    ) {
        guard let first = bytes.first, let last = bytes.last else { return }
        let formula = neutralizingFormulas && startsFormula(first)
        var quoted = first == 32 || first == 9 || last == 32 || last == 9
        for byte in bytes where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 10 || byte == 13 {
            quoted = true
            break
        }
        guard quoted else {
            if formula { output.append(UInt8(ascii: "'")) }
            output.append(bytes)
            return
        }
        output.append(UInt8(ascii: "\""))
        if formula { output.append(UInt8(ascii: "'")) }
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\"") {
            output.append(UnsafeBufferPointer(rebasing: bytes[start...index]))
            output.append(UInt8(ascii: "\""))
            start = index + 1
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[start...]))
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `text` as one cell.
    package static func append(_ text: String, neutralizingFormulas: Bool = true, to output: BufferedFileOutput) {
        var text = text
        text.withUTF8 { append($0, neutralizingFormulas: neutralizingFormulas, to: output) }
    }
}
