/// Escaping and neutralising for everything that leaves confide as text.
public enum TextSafety {
    /// A CSV cell (RFC 4180): quoted when needed, and neutralised against formula injection
    /// by a leading apostrophe when it starts with `=`, `+`, `-`, `@`, tab or carriage return.
    /// Numbers written by confide itself are passed with `isNumber` and are not neutralised.
    public static func csvCell(_ text: String, isNumber: Bool = false) -> String {
        var value = text
        if !isNumber, let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
        }
        return value
    }

    /// Text safe inside HTML elements and attribute values.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Text safe in Markdown: characters with meaning are backslash-escaped, HTML is escaped.
    public static func markdown(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "\\`*_[]<>|".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// A file or folder name made from data: ASCII letters, digits, `-` and `_` only, at most
    /// 64 characters, never empty, never `.` or `..`.
    public static func fileName(_ text: String) -> String {
        let mapped = String(text.unicodeScalars.prefix(64).map { scalar -> Character in
            let c = Character(scalar)
            return c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") ? c : "_"
        })
        return mapped.isEmpty || mapped.allSatisfy({ $0 == "_" }) ? "unnamed" : mapped
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
