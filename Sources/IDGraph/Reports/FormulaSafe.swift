/// `text` made safe to open in a spreadsheet: a cell that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so that
/// Excel, LibreOffice and Google Sheets show it as text instead of running it
/// as a formula (the README, "Reports").
public func formulaSafe(_ text: String) -> String {
    guard let first = text.unicodeScalars.first else { return text }
    switch first {
    case "=", "+", "-", "@", "\t", "\r": return "'" + text
    default: return text
    }
}
