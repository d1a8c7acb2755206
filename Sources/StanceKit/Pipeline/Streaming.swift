import Dispatch
import Foundation

/// Classifies a one-sentence-per-line input (`--input-format lines`) as a
/// stream: a block of lines is read, labelled and rendered in parallel
/// pieces, and written in order before the next block is read. Memory stays
/// bounded by the block size whatever the file's length, and no per-sentence
/// String or prediction object is made. The bytes written are those the
/// whole-file path (`BatchClassifier` + `OutputWriter`) writes.
public struct LineStream: Sendable {
    public let model: StanceModel
    public let renderer: RecordRenderer
    /// Bytes read per block (lines are never split across blocks).
    public var blockSize = 1 << 22
    /// Sentences per parallel piece.
    public var pieceSize = 256

    public init(model: StanceModel, renderer: RecordRenderer) {
        self.model = model
        self.renderer = renderer
    }

    /// Whether `LineStream` gives the same labels as the whole-file path:
    /// not when context features need each sentence's neighbours.
    public static func supports(_ model: StanceModel) -> Bool { model.vectorizer.settings.context == 0 }

    public enum Outcome {
        /// Every line was labelled and written; `sentences` is their number.
        case done(sentences: Int)
        /// The input is not UTF-8 (a UTF-16 byte order mark): the whole file
        /// is handed back, for the whole-file path.
        case notStreamable(Data)
    }

    /// Streams `input` ("-" for standard input) to `write`, which receives
    /// rendered records in input order. Throws the errors
    /// `BatchClassifier.process` reports for the same input, before anything
    /// is written.
    public func run(_ input: String, doc: String, write: (UnsafeRawBufferPointer) -> Void) throws -> Outcome {
        let fd: Int32
        if input == "-" {
            fd = 0
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else {
                throw StanceError.input(file: input, message: "no such file. Check the path.")
            }
            guard !isDir.boolValue else { throw StanceError.input(file: input, message: "is a folder.") }
            fd = open(input, O_RDONLY)
            guard fd >= 0 else { throw StanceError.input(file: input, message: "cannot read the file. Check its permissions.") }
        }
        defer { if fd != 0 { close(fd) } }

        var buffer: [UInt8] = []
        var eof = false
        func fill(upTo size: Int) throws {
            while !eof, buffer.count < size {
                let want = min(size - buffer.count, 1 << 22)
                let old = buffer.count
                buffer.append(contentsOf: repeatElement(0, count: want))
                let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + old, want) }
                if got < 0 {
                    if errno == EINTR { buffer.removeLast(want); continue }
                    throw StanceError.input(file: input, message: "cannot read the file. Check its permissions.")
                }
                buffer.removeLast(want - got)
                if got == 0 { eof = true }
            }
        }

        try fill(upTo: 8192)
        if buffer.count >= 2, buffer[0] == 0xFF && buffer[1] == 0xFE || buffer[0] == 0xFE && buffer[1] == 0xFF {
            try fill(upTo: .max)
            return .notStreamable(Data(buffer))
        }
        if buffer.prefix(8192).contains(0) {
            throw StanceError.input(file: input, message: "this looks like a binary file (it has NUL bytes), not a transcript. "
                + "Give a text file in UTF-8 (SRT, VTT, plain text, ...).")
        }
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }

        let docBytes = renderer.documentPrefix(doc)
        var arenas: [ByteArena] = []
        defer { for a in arenas { a.free() } }
        var sentences = 0
        while true {
            try fill(upTo: blockSize)
            // A block ends after its last line break; the rest waits for more bytes.
            var cut = buffer.count
            if !eof {
                cut = buffer.lastIndex { $0 == 0x0A || $0 == 0x0D }.map { $0 + 1 } ?? 0
                if cut == 0 {
                    try fill(upTo: buffer.count * 2 + blockSize)
                    continue
                }
            }
            let block = LineBlock(bytes: buffer[0..<cut])
            buffer.removeFirst(cut)
            sentences = docBytes.withUnsafeBufferPointer { doc in
                labelBlock(block, firstIndex: sentences, doc: doc, arenas: &arenas, write: write)
            }
            if eof && buffer.isEmpty { break }
        }
        return .done(sentences: sentences)
    }

    /// Labels and writes one block; returns the index after its last sentence.
    func labelBlock(_ block: LineBlock, firstIndex: Int, doc: UnsafeBufferPointer<UInt8>, arenas: inout [ByteArena],
                    write: (UnsafeRawBufferPointer) -> Void) -> Int {
        let count = block.starts.count
        guard count > 0 else { return firstIndex }
        let pieces = (count + pieceSize - 1) / pieceSize
        while arenas.count < pieces { arenas.append(ByteArena()) }
        arenas.withUnsafeMutableBufferPointer { out in
            let out = out.baseAddress!
            block.text.withUnsafeBufferPointer { text in
                DispatchQueue.concurrentPerform(iterations: pieces) { p in
                    var scratch = VectorizerScratch()
                    var scores = HeadScores(model: model)
                    var bytes = out[p]
                    bytes.reset()
                    for i in (p * pieceSize)..<min((p + 1) * pieceSize, count) {
                        let line = UnsafeBufferPointer(rebasing: text[Int(block.starts[i])..<Int(block.ends[i])])
                        model.vectorizer.settings.tokenizer.tokenize(utf8: line, into: &scratch.tokens)
                        model.vectorizer.row(of: scratch.tokens, scratch: &scratch)
                        scores.score(model, scratch: &scratch)
                        renderer.record(doc: doc, index: firstIndex + i, text: line, scores: scores, into: &bytes)
                    }
                    out[p] = bytes
                }
            }
        }
        for p in 0..<pieces { write(arenas[p].bytes) }
        return firstIndex + count
    }
}

/// The non-empty lines of a block, trimmed of white space as
/// `TranscriptReader` trims them, as offsets into its valid UTF-8 text.
struct LineBlock {
    var text: [UInt8]
    var starts: [Int32] = []
    var ends: [Int32] = []

    init(bytes: ArraySlice<UInt8>) {
        // Invalid UTF-8 becomes U+FFFD as String(decoding:) makes it; blocks
        // end at ASCII line breaks, which end any invalid sequence, so
        // repairing block by block equals repairing the whole file.
        let valid = bytes.withUnsafeBufferPointer(LineBlock.isValidUTF8)
        text = valid ? Array(bytes) : Array(String(decoding: bytes, as: UTF8.self).utf8)
        let n = text.count
        starts.reserveCapacity(n / 48)
        ends.reserveCapacity(n / 48)
        text.withUnsafeBufferPointer { t in
            var i = 0
            while i < n {
                var j = i
                while j < n, t[j] != 0x0A, t[j] != 0x0D { j += 1 }
                var a = i, b = j
                while a < b, let w = LineBlock.whitespaceWidth(t, at: a) { a += w }
                while a < b, let w = LineBlock.whitespaceWidthBefore(t, end: b) { b -= w }
                if a < b { starts.append(Int32(a)); ends.append(Int32(b)) }
                i = j + 1
            }
        }
    }

    /// Whether `t` is well-formed UTF-8 (Unicode 3.9, table 3-7): then
    /// String(decoding:) would return it unchanged.
    static func isValidUTF8(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = t.count
        var i = 0
        while i < n {
            if i + 8 <= n, UnsafeRawPointer(t.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b = t[i]
            if b < 0x80 { i += 1; continue }
            @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
                i + k < n && t[i + k] >= lo && t[i + k] <= hi
            }
            switch b {
            case 0xC2...0xDF: guard cont(1) else { return false }; i += 2
            case 0xE0: guard cont(1, 0xA0), cont(2) else { return false }; i += 3
            case 0xE1...0xEC, 0xEE...0xEF: guard cont(1), cont(2) else { return false }; i += 3
            case 0xED: guard cont(1, 0x80, 0x9F), cont(2) else { return false }; i += 3
            case 0xF0: guard cont(1, 0x90), cont(2), cont(3) else { return false }; i += 4
            case 0xF1...0xF3: guard cont(1), cont(2), cont(3) else { return false }; i += 4
            case 0xF4: guard cont(1, 0x80, 0x8F), cont(2), cont(3) else { return false }; i += 4
            default: return false
            }
        }
        return true
    }

    /// The byte length of the white-space scalar starting at `i`, or nil.
    @inline(__always)
    static func whitespaceWidth(_ t: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let b = t[i]
        if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) ? 1 : nil }
        let (s, w) = scalar(t, at: i)
        return s.properties.isWhitespace ? w : nil
    }

    /// The byte length of the white-space scalar ending at `end`, or nil.
    @inline(__always)
    static func whitespaceWidthBefore(_ t: UnsafeBufferPointer<UInt8>, end: Int) -> Int? {
        let b = t[end - 1]
        if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) ? 1 : nil }
        var i = end - 1
        while t[i] & 0xC0 == 0x80 { i -= 1 }
        let (s, w) = scalar(t, at: i)
        return s.properties.isWhitespace ? w : nil
    }

    static func scalar(_ t: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(t[i])
        if b0 < 0xE0 { return (Unicode.Scalar((b0 & 0x1F) << 6 | UInt32(t[i + 1] & 0x3F)) ?? "\u{FFFD}", 2) }
        if b0 < 0xF0 {
            return (Unicode.Scalar((b0 & 0x0F) << 12 | UInt32(t[i + 1] & 0x3F) << 6 | UInt32(t[i + 2] & 0x3F)) ?? "\u{FFFD}", 3)
        }
        let v = (b0 & 0x07) << 18 | UInt32(t[i + 1] & 0x3F) << 12 | UInt32(t[i + 2] & 0x3F) << 6 | UInt32(t[i + 3] & 0x3F)
        return (Unicode.Scalar(v) ?? "\u{FFFD}", 4)
    }
}

/// Every head's label and probabilities for one row, as indices, reused
/// from sentence to sentence.
public struct HeadScores {
    /// Head h's probabilities are `probabilities[offsets[h]..<offsets[h + 1]]`.
    var probabilities: [Float]
    var offsets: [Int]
    var best: [Int]
    /// For multi-label heads: the passing labels, most probable first.
    var all: [[Int]]
    var row: [Float]

    init(model: StanceModel) {
        offsets = [0]
        for h in model.heads { offsets.append(offsets.last! + h.labels.count) }
        probabilities = [Float](repeating: 0, count: offsets.last!)
        best = [Int](repeating: 0, count: model.heads.count)
        all = [[Int]](repeating: [], count: model.heads.count)
        row = [Float](repeating: 0, count: model.heads.map(\.labels.count).max() ?? 0)
    }

    /// Scores the row left in `scratch` on every head, as `StanceModel.scoreRow` does.
    mutating func score(_ model: StanceModel, scratch: inout VectorizerScratch) {
        for (h, head) in model.heads.enumerated() {
            let b = head.predictedIndex(columns: scratch.columns[...], values: scratch.values[...], probabilities: &row)
            best[h] = b
            let k = head.labels.count
            let o = offsets[h]
            for c in 0..<k { probabilities[o + c] = row[c] }
            if let passing = head.passingLabels(probabilities: row, best: b) { all[h] = passing }
        }
    }
}

/// Renders one record per sentence as `OutputWriter.jsonRecord` and
/// `OutputWriter.delimitedRow` do, for sentences without times or speaker,
/// from byte strings prepared once per model.
public struct RecordRenderer: Sendable {
    public enum Kind: Sendable { case jsonl, csv, tsv }
    let kind: Kind
    let tables: Tables
    /// Bytes a record needs besides its escaped text.
    let fixedBound: Int

    /// The prepared byte strings, read-only once made; label g is label c of
    /// head h at g = offsets[h] + c.
    final class Tables: @unchecked Sendable {
        let pool: UnsafeMutablePointer<UInt8>
        let poolCount: Int
        /// Start and length in `pool`, per label: `, "head": "label"` (jsonl) or
        /// the separator and the label's field (csv/tsv).
        let labelField: [Span]
        /// Per label: `"label"` (jsonl).
        let labelString: [Span]
        /// Per label: `"label": `, with a leading `, ` after a head's first (jsonl).
        let scoreKey: [Span]
        /// Per label: the first label of the same name in its head (the one csv/tsv score).
        let firstSameLabel: [Int]
        /// Per head: `, "head_all": [` for multi-label heads, empty otherwise (jsonl).
        let allKey: [Span]
        /// Per head: `"head": {`, with a leading `, ` after the first (jsonl).
        let scoresHead: [Span]
        let offsets: [Int]

        init(parts: [[UInt8]], labelField: [Int], labelString: [Int], scoreKey: [Int], firstSameLabel: [Int],
             allKey: [Int], scoresHead: [Int], offsets: [Int]) {
            let total = parts.reduce(0) { $0 + $1.count }
            let pool = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
            self.pool = pool
            var spans: [Span] = []
            var at = 0
            for p in parts {
                if !p.isEmpty { p.withUnsafeBufferPointer { (pool + at).update(from: $0.baseAddress!, count: p.count) } }
                spans.append(Span(start: at, count: p.count))
                at += p.count
            }
            poolCount = total
            self.labelField = labelField.map { spans[$0] }
            self.labelString = labelString.map { spans[$0] }
            self.scoreKey = scoreKey.map { spans[$0] }
            self.firstSameLabel = firstSameLabel
            self.allKey = allKey.map { spans[$0] }
            self.scoresHead = scoresHead.map { spans[$0] }
            self.offsets = offsets
        }

        deinit { pool.deallocate() }
    }

    struct Span { var start: Int; var count: Int }

    public init?(format: OutputFormat, model: StanceModel) {
        switch format {
        case .jsonl: kind = .jsonl
        case .csv: kind = .csv
        case .tsv: kind = .tsv
        default: return nil
        }
        let heads = model.heads
        let kind = self.kind
        func json(_ s: String) -> [UInt8] { var b: [UInt8] = []; JSONBytes.string(s, into: &b); return b }
        let sep: UInt8 = kind == .csv ? 0x2C : 0x09
        var parts: [[UInt8]] = []
        func part(_ b: [UInt8]) -> Int { parts.append(b); return parts.count - 1 }
        var labelField: [Int] = [], labelString: [Int] = [], scoreKey: [Int] = [], firstSame: [Int] = []
        var allKey: [Int] = [], scoresHead: [Int] = [], offsets = [0]
        var allBound = 0
        for (i, h) in heads.enumerated() {
            for (c, l) in h.labels.enumerated() {
                labelField.append(part(kind == .jsonl ? Array(", ".utf8) + json(h.name) + Array(": ".utf8) + json(l)
                                                      : [sep] + RecordRenderer.field(l, kind)))
                labelString.append(part(json(l)))
                scoreKey.append(part((c > 0 ? Array(", ".utf8) : []) + json(l) + Array(": ".utf8)))
                firstSame.append(offsets[i] + h.labels.firstIndex(of: l)!)
                if h.isMultiLabel { allBound += json(l).count + 2 }
            }
            allKey.append(part(h.isMultiLabel ? Array(", ".utf8) + json(h.name + "_all") + Array(": [".utf8) : []))
            scoresHead.append(part((i > 0 ? Array(", ".utf8) : []) + json(h.name) + Array(": {".utf8)))
            offsets.append(offsets[i] + h.labels.count)
        }
        tables = Tables(parts: parts, labelField: labelField, labelString: labelString, scoreKey: scoreKey,
                        firstSameLabel: firstSame, allKey: allKey, scoresHead: scoresHead, offsets: offsets)
        // Every prepared string at most once, a number per label, the integer and the fixed keys.
        fixedBound = tables.poolCount + allBound + 8 * offsets.last! + 64
    }

    /// What starts every record of document `doc`.
    func documentPrefix(_ doc: String) -> [UInt8] {
        switch kind {
        case .jsonl:
            var b = Array("{\"doc\": ".utf8)
            JSONBytes.string(doc, into: &b)
            return b + Array(", \"sentence\": ".utf8)
        case .csv, .tsv:
            return RecordRenderer.field(doc, kind) + [kind == .csv ? 0x2C : 0x09]
        }
    }

    /// One field as `OutputWriter.delimitedRow` writes it.
    static func field(_ s: String, _ kind: Kind) -> [UInt8] {
        let u = Array(s.utf8)
        if kind == .tsv { return u.map { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 } }
        guard u.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return u }
        var q: [UInt8] = [0x22]
        for b in u { if b == 0x22 { q.append(0x22) }; q.append(b) }
        q.append(0x22)
        return q
    }

    func record(doc: UnsafeBufferPointer<UInt8>, index: Int, text: UnsafeBufferPointer<UInt8>, scores: HeadScores, into out: inout ByteArena) {
        out.reserve(fixedBound + doc.count + 6 * text.count)
        let t = tables
        @inline(__always) func put(_ s: Span) { out.put(UnsafeBufferPointer(start: t.pool + s.start, count: s.count)) }
        out.put(doc)
        out.putInteger(index)
        scores.probabilities.withUnsafeBufferPointer { p in
        switch kind {
        case .jsonl:
            out.put(", \"text\": ")
            out.putJSONString(text)
            for h in scores.best.indices {
                put(t.labelField[t.offsets[h] + scores.best[h]])
                let key = t.allKey[h]
                if key.count > 0 {
                    put(key)
                    for (i, c) in scores.all[h].enumerated() {
                        if i > 0 { out.put(", ") }
                        put(t.labelString[t.offsets[h] + c])
                    }
                    out.put(0x5D)
                }
            }
            out.put(", \"scores\": {")
            for h in scores.best.indices {
                put(t.scoresHead[h])
                for g in t.offsets[h]..<t.offsets[h + 1] {
                    put(t.scoreKey[g])
                    out.putUnitFraction(JSONBytes.unitFraction(Double(p[g])))
                }
                out.put(0x7D)
            }
            out.put("}}\n")
        case .csv, .tsv:
            let sep: UInt8 = kind == .csv ? 0x2C : 0x09
            for _ in 0..<4 { out.put(sep) }
            if kind == .tsv {
                for b in text { out.put(b == 0x09 ? 0x20 : b) }
            } else if text.contains(where: { $0 == 0x2C || $0 == 0x22 }) {
                out.put(0x22)
                for b in text { if b == 0x22 { out.put(0x22) }; out.put(b) }
                out.put(0x22)
            } else {
                out.put(text)
            }
            for h in scores.best.indices {
                let g = t.offsets[h] + scores.best[h]
                put(t.labelField[g])
                out.put(sep)
                out.putUnitFraction(JSONBytes.unitFraction(Double(p[t.firstSameLabel[g]])))
            }
            out.put(0x0A)
        }
        }
    }
}

/// A growable byte buffer written through a pointer: the records of one
/// piece. `reserve` first, then `put` without checks; `free` when done.
struct ByteArena {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 16) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    func free() { base.deallocate() }
    mutating func reset() { count = 0 }
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    @inline(__always) mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    mutating func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }

    @inline(__always) mutating func put(_ b: UInt8) { base[count] = b; count += 1 }

    @inline(__always) mutating func put(_ s: UnsafeBufferPointer<UInt8>) {
        guard let p = s.baseAddress else { return }
        (base + count).update(from: p, count: s.count)
        count += s.count
    }

    @inline(__always) mutating func put(_ s: StaticString) {
        (base + count).update(from: s.utf8Start, count: s.utf8CodeUnitCount)
        count += s.utf8CodeUnitCount
    }

    /// A number packed by `JSONBytes.unitFraction` (needs 8 bytes of room).
    @inline(__always) mutating func putUnitFraction(_ packed: UInt64) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: packed.littleEndian, as: UInt64.self)
        count += Int(packed >> 56)
    }

    mutating func putInteger(_ v: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            var x = v.magnitude
            repeat { d[23 - n] = 0x30 + UInt8(x % 10); x /= 10; n += 1 } while x > 0
            if v < 0 { d[23 - n] = 0x2D; n += 1 }
            (base + count).update(from: d.baseAddress!.assumingMemoryBound(to: UInt8.self) + 24 - n, count: n)
        }
        count += n
    }

    /// As `JSONBytes.string(_:into:)` for valid UTF-8 (needs 6 bytes of room per byte, and 2).
    mutating func putJSONString(_ s: UnsafeBufferPointer<UInt8>) {
        put(0x22)
        var run = 0
        for i in 0..<s.count {
            let b = s[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            put(UnsafeBufferPointer(rebasing: s[run..<i]))
            run = i + 1
            put(0x5C)
            switch b {
            case 0x22: put(0x22)
            case 0x5C: put(0x5C)
            case 0x0A: put(0x6E)
            case 0x0D: put(0x72)
            case 0x09: put(0x74)
            default:
                put(0x75); put(0x30); put(0x30); put(JSONBytes.hex(b >> 4)); put(JSONBytes.hex(b & 0xF))
            }
        }
        put(UnsafeBufferPointer(rebasing: s[run...]))
        put(0x22)
    }
}
