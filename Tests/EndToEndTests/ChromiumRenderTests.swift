import Foundation
import Testing

/// The headless browser: Debian's `chromium` (installed by `.ci/run`).
private let browser = ExternalTool.find(["chromium", "chromium-browser"])

/// What one headless Chromium visit of a page showed.
private struct BrowserVisit {
    /// Chromium's exit status.
    let status: Int32
    /// Network requests the page itself made (URLs), from the net log.
    let pageRequests: [String]
    /// Console messages from the page (script errors, failed loads), from the browser log.
    let consoleMessages: [String]
    /// Share of screenshot pixels that differ from its most common colour, and how many
    /// distinct colours it has; nil when no screenshot was written.
    let screenshot: (inked: Double, colours: Int)?

    /// Opens `page` (a local file) in headless Chromium, with a net log and a screenshot.
    init(_ page: String, browser: String, window: String = "900,1200") throws {
        let work = Binary.temporaryFolder()
        let run = try ExternalTool.run(browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--user-data-dir=\(work)/profile", "--log-net-log=\(work)/net.json", "--enable-logging=stderr", "--v=0",
            "--window-size=\(window)", "--screenshot=\(work)/shot.png", URL(fileURLWithPath: page).absoluteString,
        ])
        status = run.status
        consoleMessages = run.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        pageRequests = try Self.pageRequests(netLog: work + "/net.json")
        screenshot = try Self.measure(png: work + "/shot.png")
    }

    /// URLs of requests made in the page's context. Chromium makes requests of its own (time,
    /// updates, accounts) even in headless mode; those have no initiating origin, while a
    /// page's sub-resource requests carry the page's (file://) isolation key or an initiator.
    static func pageRequests(netLog path: String) throws -> [String] {
        let data = try #require(FileManager.default.contents(atPath: path), "chromium wrote no net log")
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "the net log is not JSON")
        let types = ((log["constants"] as? [String: Any])?["logEventTypes"] as? [String: Int]) ?? [:]
        let startJob = try #require(types["URL_REQUEST_START_JOB"], "the net log has no URL_REQUEST_START_JOB type")
        var urls: [String] = []
        for case let event as [String: Any] in log["events"] as? [Any] ?? [] where event["type"] as? Int == startJob {
            guard let params = event["params"] as? [String: Any], let url = params["url"] as? String else { continue }
            let initiator = params["initiator"] as? String ?? "not an origin"
            let isolation = params["network_isolation_key"] as? String ?? ""
            if initiator != "not an origin" || isolation.contains("file://") { urls.append(url) }
        }
        return urls
    }

    /// Decodes the PNG with Python's standard library (zlib, struct) and measures it.
    static func measure(png path: String) throws -> (inked: Double, colours: Int)? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let result = try ExternalTool.run("python3", ["-c", pngMeasure, path])
        let parts = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        guard result.status == 0, parts.count == 2, let inked = Double(parts[0]), let colours = Int(parts[1]) else {
            Issue.record("cannot measure the screenshot: \(result.stderr)")
            return nil
        }
        return (inked, colours)
    }
}

/// Prints `<share of pixels unlike the most common colour> <distinct colours>` for an 8-bit
/// RGB or RGBA, non-interlaced PNG (what Chromium writes), undoing the five row filters.
private let pngMeasure = #"""
import struct, sys, zlib
from collections import Counter
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, header = 8, [], None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR": header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT": idat.append(body)
    pos += 12 + length
width, height, depth, colour, _, _, interlace = header
assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG {header}"
bpp = 3 if colour == 2 else 4
raw, stride = zlib.decompress(b"".join(idat)), width * bpp
tally, previous = Counter(), bytearray(stride)
for y in range(height):
    start = y * (stride + 1)
    kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
    if kind == 1:
        for i in range(bpp, stride): line[i] = (line[i] + line[i - bpp]) & 255
    elif kind == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, previous))
    elif kind == 3:
        for i in range(stride):
            line[i] = (line[i] + (((line[i - bpp] if i >= bpp else 0) + previous[i]) >> 1)) & 255
    elif kind == 4:
        for i in range(stride):
            a, b, c = (line[i - bpp] if i >= bpp else 0), previous[i], (previous[i - bpp] if i >= bpp else 0)
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    tally.update(bytes(line[x:x + 3]) for x in range(0, stride, bpp))
    previous = line
print(f"{1 - tally.most_common(1)[0][1] / (width * height):.4f} {len(tally)}")
"""#

@Suite(.serialized) struct ChromiumRenderTests {
    @Test(.enabled(if: browser != nil || ExternalTool.isCI,
                   "chromium is not installed (apt-get install chromium; .ci/run installs it, and in CI this test always runs)"))
    func theDemoReportRendersOfflineWithoutErrorsAndIsNotBlank() throws {
        let browser = try #require(browser, "chromium is not on PATH, but CI=true: .ci/run should have installed it")

        // The checks can fail: a page that loads a remote image and logs an error, and shows nothing.
        let control = Binary.temporaryFolder() + "/control.html"
        try #"<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/pixel.png" alt="" width="1" height="1"><script>console.error("x")</script></body></html>"#
            .write(toFile: control, atomically: true, encoding: .utf8)
        let bad = try BrowserVisit(control, browser: browser, window: "400,300")
        #expect(bad.pageRequests == ["http://127.0.0.1:9/pixel.png"], "the net log check sees a page's request")
        #expect(!bad.consoleMessages.isEmpty, "the console check sees a page's error")
        #expect((bad.screenshot?.inked ?? 1) < 0.001, "the blank check sees a blank page")

        let folder = Binary.temporaryFolder()
        let demo = try Binary.run(["demo", "--clients", "300", "--weeks", "2"], in: folder)
        #expect(demo.status == 0, "\(demo.stderr)")
        let report = folder + "/Reports/latest/weekly-report.html"
        let html = try String(contentsOfFile: report, encoding: .utf8)
        // Nothing in the page may point outside it.
        for pattern in [#"(?i)\b(src|href|action|poster|srcset|xlink:href)\s*="#, #"(?i)url\("#, #"(?i)@import"#, #"(?i)https?://"#, #"(?i)<(script|link|iframe|img|object|embed)\b"#] {
            #expect(html.range(of: pattern, options: .regularExpression) == nil, "the report contains \(pattern)")
        }

        // What the practice lead looks for: waits and recovery against their standards, the equality groups.
        for part in ["national standard 50% recovery", "standard 75% within 6 weeks", "standard 95% within 18 weeks",
                     ">By age band</h3>", ">By gender</h3>", ">By ethnicity</h3>", "<th scope=\"col\">Weeks covered</th>"] {
            #expect(html.contains(part), "the report lacks \(part)")
        }

        let visit = try BrowserVisit(report, browser: browser)
        #expect(visit.status == 0)
        #expect(visit.pageRequests.isEmpty, "the report made network requests: \(visit.pageRequests)")
        #expect(visit.consoleMessages.isEmpty, "the report logged: \(visit.consoleMessages)")
        let screenshot = try #require(visit.screenshot, "chromium wrote no screenshot")
        #expect(screenshot.inked > 0.02 && screenshot.colours >= 16, "the screenshot looks blank: \(screenshot)")
    }
}
