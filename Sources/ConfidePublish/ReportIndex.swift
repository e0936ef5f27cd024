/// `index.html` at the top of the reports folder: every published week, newest first.
enum ReportIndex {
    /// Renders the index for the week folders `weeks` (oldest first).
    static func render(practiceName: String, weeks: [String]) -> String {
        let h = TextSafety.html
        var page = """
        <!DOCTYPE html>
        <html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(h(practiceName)): weekly reports</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem}li{margin:.2rem 0}</style>
        </head><body><main><h1>\(h(practiceName)): weekly reports</h1>
        <p><a href="latest/weekly-report.html">Latest week</a></p><ul>

        """
        for week in weeks.reversed() {
            let name = h(TextSafety.fileName(week))
            page += "<li><a href=\"\(name)/weekly-report.html\">\(name)</a> (<a href=\"\(name)/caseload.csv\">caseload.csv</a>, <a href=\"\(name)/outcomes.csv\">outcomes.csv</a>)</li>\n"
        }
        return page + "</ul></main></body></html>\n"
    }
}
