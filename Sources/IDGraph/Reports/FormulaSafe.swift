/// `text` made safe to open in a spreadsheet: a cell that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so that
/// Excel, LibreOffice and Google Sheets show it as text instead of running it
/// as a formula (the README, "Reports"). ``CSVCell`` applies the same rule to
/// every cell it writes.
public func formulaSafe(_ text: String) -> String {
    guard let first = text.utf8.first, startsFormula(first) else { return text }
    return "'" + text
}

/// Whether a cell whose first UTF-8 byte is `byte` would be run as a formula: `=`, `+`, `-`, `@`,
/// a tab or a carriage return.
func startsFormula(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13: true
    default: false
    }
}
