/// Text from a SaaS, a roster or the graph made safe to print on a terminal: control characters
/// (C0, DEL, C1: the escape sequences that move the cursor, retitle the window or hide text) and the
/// bidirectional controls that reorder what is shown are written visibly as `<U+001B>`, never applied.
public enum TerminalText {
    /// `text` with every control and bidirectional-override character replaced by `<U+XXXX>`.
    public static func escaped(_ text: String) -> String {
        replacing(isUnsafe, in: text) { "<U+\($0)>" }
    }

    /// `text` with each scalar that `matches` replaced by `shown(hex)`, the scalar's code as at least
    /// four upper-case hex digits.
    private static func replacing(
        _ matches: (Unicode.Scalar) -> Bool, in text: String, by shown: (String) -> String
    ) -> String {
        guard text.unicodeScalars.contains(where: matches) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if matches(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += shown(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Whether `scalar` would act on the terminal or on the order of the text instead of being shown.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        default: isBidiControl(scalar)
        }
    }

    /// Whether `scalar` reorders the text around it: LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM, ALM.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    /// Rendered HTML with every bidirectional control shown as the text `<U+202E>` instead of
    /// applied (an `RLO` in a name would display `admin` as `nimda`). The templates hold none of
    /// their own, so every one comes from the data.
    public static func showingBidiControls(inHTML html: String) -> String {
        replacing(isBidiControl, in: html) { "&lt;U+\($0)&gt;" }
    }
}
