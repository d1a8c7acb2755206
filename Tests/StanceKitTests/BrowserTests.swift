import Foundation
import Testing
@testable import StanceKit

/// Headless Chromium (Debian's `chromium` package), found on PATH.
enum Browser {
    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for d in dirs where FileManager.default.isExecutableFile(atPath: "\(d)/\(name)") { return "\(d)/\(name)" }
        }
        return nil
    }()

    /// scripts/test sets STANCE_REQUIRE_BROWSER=1: then a missing browser fails the tests instead of skipping them.
    static let required = ProcessInfo.processInfo.environment["STANCE_REQUIRE_BROWSER"] == "1"

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "headless Chromium not found on PATH (chromium or chromium-browser) and STANCE_REQUIRE_BROWSER=1: install Debian's chromium package (sudo apt-get install chromium), or run scripts/test, which installs it"
        }
    }

    struct Failed: Error, CustomStringConvertible { var description: String }

    /// Screenshots and pages kept for a person to look at (git-ignored).
    static var artefacts: URL {
        let u = Repo.root.appendingPathComponent(".build-artefacts")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// Runs Chromium headless on `url` with `args` (e.g. --dump-dom) and
    /// returns its standard output. A fresh profile each time, so runs by
    /// others on the same machine do not collide; killed after `timeout`.
    static func run(_ args: [String], url: String, timeout: TimeInterval = 120) throws -> String {
        guard let path else { throw Missing() }
        let profile = Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: profile) }
        let errors = profile.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        // --no-sandbox: Chromium refuses to run as root (CI containers) with its sandbox.
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                       "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                       "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000"] + args + [url]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = try FileHandle(forWritingTo: errors)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        guard p.terminationStatus == 0 else {
            let err = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failed(description: "chromium exited with \(p.terminationStatus): \(err.suffix(2000))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The DOM after the page's scripts ran.
    static func dom(_ file: URL, fragment: String = "") throws -> String {
        try run(["--dump-dom"], url: file.absoluteString + fragment)
    }

    /// A PNG of the page as a 1280-pixel-wide window shows it; checks it is a real picture.
    static func screenshot(_ file: URL, to png: URL, height: Int = 1600, extra: [String] = []) throws {
        try? FileManager.default.removeItem(at: png)
        _ = try run(["--screenshot=\(png.path)", "--window-size=1280,\(height)"] + extra, url: file.absoluteString)
        let bytes = try Data(contentsOf: png)
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(png.path) is not a PNG")
        #expect(bytes.count > 10_000, "\(png.path) is only \(bytes.count) bytes: a blank page?")
    }
}

/// The reports as a browser shows them: headless Chromium loads the pages
/// written by the built executables, runs their script, and the tests look
/// at the resulting DOM; screenshots are kept in .build-artefacts/.
@Suite(.serialized, .enabled(if: Browser.path != nil || Browser.required,
                             "headless Chromium not found: install Debian's chromium package (scripts/test does)"))
struct BrowserTests {
    let e2e = EndToEndTests()
    static let sample = Repo.root.appendingPathComponent("Corpus/samples/sample-transcript.txt")

    /// Elements whose start tag matches `pattern` (e.g. `<li class="sentence`), as their start tags.
    func tags(_ prefix: String, in dom: String) -> [String] {
        HTMLReportTests.matches(NSRegularExpression.escapedPattern(for: prefix) + #"[^>]*>"#, in: dom).map { $0[0] }
    }

    /// stance-classify's report of the sample transcript, and its JSON Lines records.
    func sampleReport() throws -> (page: URL, records: [[String: Any]]) {
        let page = Browser.artefacts.appendingPathComponent("report-sample.html")
        let r = try e2e.run("stance-classify", ["--format", "html", "--output", page.path, BrowserTests.sample.path])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try e2e.run("stance-classify", [BrowserTests.sample.path])
        return (page, try e2e.records(j.stdout))
    }

    @Test func transcriptPage_rendersEverySentenceAndTheTimeline() throws {
        _ = try #require(Browser.path, "\(Browser.Missing())")
        let (page, records) = try sampleReport()
        #expect(records.count > 10)
        let dom = try Browser.dom(page)
        let root = try #require(tags("<html", in: dom).first)
        #expect(root.contains("data-js=\"ready\""), "the page's script did not run: \(root)")
        #expect(root.contains("data-filter=\"off\""))
        let sentences = tags("<li class=\"sentence", in: dom)
        #expect(sentences.count == records.count)
        #expect(sentences.allSatisfy { !$0.contains("hidden") })
        let marks = tags("<a href=\"#s", in: dom).filter { $0.contains("class=\"mark") }
        #expect(marks.count == records.count)
        #expect(Set(marks.compactMap { HTMLReportTests.matches(##"href="#s(\d+)""##, in: $0).first?[1] }) == Set(records.indices.map(String.init)))
        let hint = try #require(tags("<p class=\"note hint\"", in: dom).first)
        #expect(!hint.contains("hidden"), "the filter hint should show once the script runs")
        #expect(tags("<ol class=\"sentences", in: dom).first?.contains("data-shown=\"\(records.count)\"") == true)
        #expect(HTMLReportTests.count("<script", in: dom.lowercased()) == 1)

        try Browser.screenshot(page, to: Browser.artefacts.appendingPathComponent("report-sample.png"))
        try Browser.screenshot(page, to: Browser.artefacts.appendingPathComponent("report-sample-dark.png"), extra: ["--force-dark-mode"])
    }

    @Test func transcriptPage_filterFromTheURLShowsOnlyMatchingSentences() throws {
        _ = try #require(Browser.path, "\(Browser.Missing())")
        let (page, records) = try sampleReport()
        // A sentence carries a label when it is its label or, for a multi-label head, among <head>_all.
        func carries(_ r: [String: Any], _ head: String, _ label: String) -> Bool {
            r[head] as? String == label || (r["\(head)_all"] as? [String])?.contains(label) == true
        }
        let militarised = records.indices.filter { carries(records[$0], "stance", "militarisation") }
        #expect(!militarised.isEmpty)
        let dom = try Browser.dom(page, fragment: "#filter=stance:militarisation")
        let shown = tags("<li class=\"sentence", in: dom).filter { !$0.contains("hidden") }
        #expect(shown.compactMap { HTMLReportTests.matches(#"id="s(\d+)""#, in: $0).first.flatMap { Int($0[1]) } } == militarised)
        #expect(dom.contains("Showing \(militarised.count) of \(records.count) sentences: stance = militarisation"))
        #expect(tags("<html", in: dom).first?.contains("data-filter=\"on\"") == true)
        let dimmed = tags("<a href=\"#s", in: dom).filter { $0.contains("class=\"mark") && $0.contains("dim") }
        #expect(dimmed.count == records.count - militarised.count)
        let pressed = tags("<button type=\"button\" class=\"chip", in: dom).filter { $0.contains("aria-pressed=\"true\"") }
        #expect(!pressed.isEmpty && pressed.allSatisfy { $0.contains("data-label=\"militarisation\"") })
        #expect(tags("<button type=\"button\" class=\"reset\"", in: dom).first?.contains("hidden") == false)

        // Two heads combine.
        let both = records.indices.filter { carries(records[$0], "stance", "militarisation") && carries(records[$0], "claim", "factual") }
        let dom2 = try Browser.dom(page, fragment: "#filter=stance:militarisation&claim:factual")
        #expect(tags("<li class=\"sentence", in: dom2).filter { !$0.contains("hidden") }.count == both.count)
    }

    @Test func transcriptPage_markupInTheTranscriptStaysText() throws {
        _ = try #require(Browser.path, "\(Browser.Missing())")
        let dir = Repo.temporaryDirectory()
        let input = dir.appendingPathComponent("hostile.txt")
        try """
        HOST: The missile <script>document.documentElement.setAttribute('data-pwned', '1')</script> hit a satellite.
        GUEST <img src=x onerror=alert(1)>: Both sides signed a "joint" deal & praised it.

        """.write(to: input, atomically: true, encoding: .utf8)
        let page = dir.appendingPathComponent("hostile.html")
        let r = try e2e.run("stance-classify", ["--format", "html", "--output", page.path, input.path])
        #expect(r.status == 0, "\(r.stderr)")
        let dom = try Browser.dom(page)
        let root = try #require(tags("<html", in: dom).first)
        #expect(root.contains("data-js=\"ready\"") && !root.contains("data-pwned"))
        #expect(HTMLReportTests.count("<script", in: dom.lowercased()) == 1)
        #expect(!dom.contains("<img"))
        #expect(dom.contains("&lt;script&gt;document.documentElement.setAttribute('data-pwned', '1')&lt;/script&gt;"))
        #expect(dom.contains("signed a \"joint\" deal &amp; praised it."))
    }

    @Test func evalPage_showsEveryConfusionCell() throws {
        _ = try #require(Browser.path, "\(Browser.Missing())")
        let gold = try #require(Repo.corpusFiles(split: "test").first)
        let r = try e2e.run("stance-eval", ["--format", "html", gold.path])
        #expect(r.status == 0, "\(r.stderr)")
        let page = Browser.artefacts.appendingPathComponent("eval-sample.html")
        try r.stdout.write(to: page, atomically: true, encoding: .utf8)
        let json = try e2e.run("stance-eval", ["--format", "json", gold.path])
        let heads = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["heads"] as? [String: [String: Any]])
        let dom = try Browser.dom(page)
        for (name, h) in heads {
            let confusion = try #require(h["confusion"] as? [String: [String: Double]])
            let section = try #require(dom.components(separatedBy: "\">\(name)</h2>").dropFirst().first?.components(separatedBy: "</section>").first)
            let cells = tags("<td class=\"cm", in: section)
            #expect(cells.count == confusion.count * confusion.count, "head \(name)")
            for (g, row) in confusion {
                for (p, n) in row {
                    let cell = HTMLReportTests.matches(#"data-gold="\#(g)" data-predicted="\#(p)"[^>]*>(\d+)<"#, in: section)
                    #expect(cell.first?[1] == String(Int(n)), "head \(name): gold \(g), predicted \(p)")
                }
            }
            #expect(HTMLReportTests.count("<g class=\"label-row\">", in: section) == confusion.count)
        }
        try Browser.screenshot(page, to: Browser.artefacts.appendingPathComponent("eval-sample.png"))
    }
}
