import Foundation

/// The binary model file (format version 1). See docs/MODEL_FORMAT.md.
///
///     offset  size  field
///     0       8     magic "STANCEMD"
///     8       4     format version, UInt32 little-endian (1)
///     12      8     payload length in bytes, UInt64 LE
///     20      4     CRC-32 of the payload, UInt32 LE
///     24      …     payload: sections, each a 4-byte ASCII tag, a UInt64 LE
///                   byte length and that many bytes
///
/// Sections: "META" (metadata), "VECT" (vectorizer settings, vocabulary,
/// idf), then one "HEAD" per head. Unknown tags are skipped. Every count read
/// from the file is checked against the bytes left before anything is
/// allocated; nothing in the file is ever executed.
public enum ModelFile {
    public static let magic: [UInt8] = Array("STANCEMD".utf8)
    public static let formatVersion: UInt32 = 1
    static let headerSize = 24

    // MARK: Writing

    public static func encode(_ model: StanceModel) -> [UInt8] {
        var payload = ByteWriter()
        section("META", into: &payload) { w in
            let m = model.metadata
            w.string(m.toolVersion)
            w.string(m.created)
            w.string(m.corpusHash)
            w.u64(UInt64(m.sentenceCount))
            w.u64(UInt64(m.corpusFiles.count)); m.corpusFiles.forEach { w.string($0) }
            let settings = m.settings.sorted { $0.key < $1.key }
            w.u64(UInt64(settings.count)); settings.forEach { w.string($0.key); w.string($0.value) }
            let metrics = m.metrics.sorted { $0.key < $1.key }
            w.u64(UInt64(metrics.count)); metrics.forEach { w.string($0.key); w.f64($0.value) }
        }
        section("VECT", into: &payload) { w in
            let s = model.vectorizer.settings
            w.u32(UInt32(s.wordNgrams.lowerBound)); w.u32(UInt32(s.wordNgrams.upperBound))
            w.u32(UInt32(s.charNgrams?.lowerBound ?? 0)); w.u32(UInt32(s.charNgrams?.upperBound ?? 0))
            w.u32(UInt32(s.minDF)); w.f64(s.maxDF); w.u64(UInt64(s.maxFeatures ?? 0))
            w.u8(s.sublinearTF ? 1 : 0); w.u8(s.tokenizer.lowercase ? 1 : 0); w.u8(s.tokenizer.foldSpelling ? 1 : 0)
            w.u64(UInt64(model.vectorizer.terms.count))
            model.vectorizer.terms.forEach { w.string($0) }
            w.floats(model.vectorizer.idf)
            w.f64(s.context)
        }
        for head in model.heads {
            section("HEAD", into: &payload) { w in
                w.string(head.name)
                w.u64(UInt64(head.labels.count)); head.labels.forEach { w.string($0) }
                w.u64(UInt64(head.featureCount))
                w.floats(head.weights)
                w.floats(head.bias)
                w.floats(head.thresholds ?? [])
            }
        }
        var out = ByteWriter()
        out.bytes.append(contentsOf: magic)
        out.u32(formatVersion)
        out.u64(UInt64(payload.bytes.count))
        out.u32(CRC32.checksum(payload.bytes))
        out.bytes.append(contentsOf: payload.bytes)
        return out.bytes
    }

    private static func section(_ tag: String, into w: inout ByteWriter, _ body: (inout ByteWriter) -> Void) {
        var s = ByteWriter()
        body(&s)
        w.bytes.append(contentsOf: Array(tag.utf8))
        w.u64(UInt64(s.bytes.count))
        w.bytes.append(contentsOf: s.bytes)
    }

    /// Writes the model atomically: a temporary file in the same folder,
    /// flushed to disk, then renamed over `path`. A failure leaves any
    /// existing file at `path` as it was.
    public static func write(_ model: StanceModel, to path: String) throws {
        try AtomicFile.write(encode(model), to: path)
    }

    // MARK: Reading

    public static func read(path: String) throws -> StanceModel {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StanceError.modelFile(path: path, message: "cannot read the model file (\(error.localizedDescription)). Check the path given to --model.")
        }
        return try decode(Array(data), source: path)
    }

    public static func decode(_ bytes: [UInt8], source: String = "model") throws -> StanceModel {
        func fail(_ m: String) -> StanceError { .modelFile(path: source, message: m) }
        guard bytes.count >= headerSize else {
            throw fail("not a stance model: the file is \(bytes.count) bytes, shorter than the \(headerSize)-byte header. It may be truncated; train it again or download it again.")
        }
        guard Array(bytes[0..<8]) == magic else {
            throw fail("not a stance model file (it does not start with \"STANCEMD\"). Pass a file written by stance-train.")
        }
        var header = ByteReader(bytes[8..<headerSize], source: source)
        let version = try header.u32()
        guard version == formatVersion else {
            if version > formatVersion {
                throw fail("model format version \(version) is newer than this stance (reads version \(formatVersion)). Update stance to load it.")
            }
            throw fail("unknown model format version \(version).")
        }
        let length = try header.u64()
        let crc = try header.u32()
        guard length == UInt64(bytes.count - headerSize) else {
            throw fail("the header says the payload is \(length) bytes but the file holds \(bytes.count - headerSize). The file is truncated or damaged; train or download it again.")
        }
        let payload = bytes[headerSize...]
        guard CRC32.checksum(payload) == crc else {
            throw fail("checksum mismatch: the file is damaged. Train or download it again.")
        }
        var r = ByteReader(payload, source: source)
        var metadata: ModelMetadata?
        var vectorizer: FittedVectorizer?
        var heads: [LinearHead] = []
        while !r.isAtEnd {
            let tag = String(decoding: try r.take(4), as: UTF8.self)
            let size = try r.count(elementSize: 1)
            var s = ByteReader(try r.take(size), source: source)
            switch tag {
            case "META": metadata = try readMetadata(&s)
            case "VECT": vectorizer = try readVectorizer(&s)
            case "HEAD": heads.append(try readHead(&s))
            default: continue
            }
        }
        guard let metadata, let vectorizer else { throw fail("the file lacks its metadata or vectorizer section.") }
        guard !heads.isEmpty else { throw fail("the model has no heads.") }
        for h in heads where h.featureCount != vectorizer.featureCount || h.labels.count < 2 {
            throw fail("head \(h.name) has \(h.featureCount) features and \(h.labels.count) labels, but the vocabulary has \(vectorizer.featureCount) features.")
        }
        return StanceModel(vectorizer: vectorizer, heads: heads, metadata: metadata)
    }

    private static func readMetadata(_ r: inout ByteReader) throws -> ModelMetadata {
        var m = ModelMetadata()
        m.toolVersion = try r.string()
        m.created = try r.string()
        m.corpusHash = try r.string()
        m.sentenceCount = Int(try r.u64() & 0xFFFF_FFFF_FFFF)
        m.corpusFiles = try (0..<r.count(elementSize: 4)).map { _ in try r.string() }
        for _ in 0..<(try r.count(elementSize: 8)) { m.settings[try r.string()] = try r.string() }
        for _ in 0..<(try r.count(elementSize: 12)) { m.metrics[try r.string()] = try r.f64() }
        return m
    }

    private static func readVectorizer(_ r: inout ByteReader) throws -> FittedVectorizer {
        var s = VectorizerSettings()
        let w0 = Int(try r.u32()), w1 = Int(try r.u32()), c0 = Int(try r.u32()), c1 = Int(try r.u32())
        guard w0 >= 1, w0 <= w1, w1 <= 8, c0 <= c1, c1 <= 16 else { throw r.error("n-gram ranges out of bounds") }
        s.wordNgrams = w0...w1
        s.charNgrams = c0 == 0 ? nil : c0...c1
        s.minDF = Int(try r.u32())
        s.maxDF = try r.f64()
        let mf = try r.u64()
        s.maxFeatures = mf == 0 ? nil : Int(mf & 0xFFFF_FFFF)
        s.sublinearTF = try r.u8() != 0
        s.tokenizer.lowercase = try r.u8() != 0
        s.tokenizer.foldSpelling = try r.u8() != 0
        let n = try r.count(elementSize: 4)
        var terms: [String] = []
        terms.reserveCapacity(n)
        for _ in 0..<n { terms.append(try r.string()) }
        let idf = try r.floats()
        guard idf.count == terms.count else { throw r.error("\(terms.count) terms but \(idf.count) idf values") }
        s.context = try r.f64()
        guard s.context.isFinite, s.context >= 0 else { throw r.error("context weight \(s.context) out of range") }
        // stance-train writes the terms sorted, so checking the order usually settles it without hashing every term.
        let ascending = zip(terms, terms.dropFirst()).allSatisfy { $0 < $1 }
        guard ascending || Set(terms).count == terms.count else { throw r.error("duplicate terms in the vocabulary") }
        return FittedVectorizer(settings: s, terms: terms, idf: idf)
    }

    private static func readHead(_ r: inout ByteReader) throws -> LinearHead {
        let name = try r.string()
        let labels = try (0..<r.count(elementSize: 4)).map { _ in try r.string() }
        let features = try r.count(elementSize: 4)
        let weights = try r.floats()
        let bias = try r.floats()
        let thresholds = try r.floats()
        guard thresholds.isEmpty || thresholds.count == labels.count, thresholds.allSatisfy({ $0.isFinite }) else {
            throw r.error("head \(name): \(thresholds.count) thresholds for \(labels.count) labels")
        }
        guard bias.count == labels.count, weights.count == features * labels.count else {
            throw r.error("head \(name): \(weights.count) weights and \(bias.count) biases do not fit \(features) features × \(labels.count) labels")
        }
        guard weights.allSatisfy({ $0.isFinite }), bias.allSatisfy({ $0.isFinite }) else {
            throw r.error("head \(name) holds non-finite weights")
        }
        return LinearHead(name: name, labels: labels, weights: weights, bias: bias, thresholds: thresholds.isEmpty ? nil : thresholds)
    }
}

/// Little-endian writer for the model file.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String) { u32(UInt32(s.utf8.count)); bytes.append(contentsOf: s.utf8) }
    mutating func floats(_ v: [Float]) {
        u64(UInt64(v.count))
        bytes.reserveCapacity(bytes.count + v.count * 4)
        for x in v { u32(x.bitPattern) }
    }
}

/// Bounds-checked little-endian reader: every read checks the bytes left and
/// throws instead of reading past the end.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int
    let source: String

    init(_ bytes: ArraySlice<UInt8>, source: String) {
        self.bytes = bytes
        self.position = bytes.startIndex
        self.source = source
    }

    var isAtEnd: Bool { position >= bytes.endIndex }
    var remaining: Int { bytes.endIndex - position }

    func error(_ m: String) -> StanceError {
        .modelFile(path: source, message: "damaged model file: \(m). Train or download it again.")
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else { throw error("a field of \(n) bytes runs past the end (\(remaining) left)") }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    mutating func u8() throws -> UInt8 { try take(1).first! }
    mutating func u32() throws -> UInt32 {
        let b = try take(4)
        return b.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
    mutating func u64() throws -> UInt64 {
        let b = try take(8)
        return b.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
    mutating func f64() throws -> Double { Double(bitPattern: try u64()) }

    /// A UInt64 count of elements, each at least `elementSize` bytes, checked
    /// against the bytes left before anyone allocates for it.
    mutating func count(elementSize: Int) throws -> Int {
        let n = try u64()
        guard n <= UInt64(remaining / max(elementSize, 1)) else {
            throw error("a count of \(n) does not fit in the \(remaining) bytes left")
        }
        return Int(n)
    }

    mutating func string() throws -> String {
        let n = Int(try u32())
        let b = try take(n)
        // Decoding repairs invalid UTF-8, so the bytes come back unchanged exactly when they were valid.
        var s = b.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        let valid = s.withUTF8 { u in b.withUnsafeBufferPointer { u.count == $0.count && (u.isEmpty || memcmp(u.baseAddress!, $0.baseAddress!, u.count) == 0) } }
        guard valid else { throw error("a string is not valid UTF-8") }
        return s
    }

    mutating func floats() throws -> [Float] {
        let n = try count(elementSize: 4)
        let b = try take(n * 4)
        var out = [Float](repeating: 0, count: n)
        #if _endian(little)
        if n > 0 { b.withUnsafeBytes { raw in out.withUnsafeMutableBytes { $0.copyMemory(from: raw) } } }
        #else
        var p = b.startIndex
        for i in 0..<n {
            let v = UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24
            out[i] = Float(bitPattern: v)
            p += 4
        }
        #endif
        return out
    }
}

/// Writes a file so that readers see either the old or the new whole file:
/// a temporary file in the same folder, fsync, rename.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let tmp = dir + "/." + url.lastPathComponent + ".\(getpid()).tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw StanceError.io("cannot create \(tmp): \(String(cString: strerror(errno))). Check that the folder exists and is writable.") }
        var ok = bytes.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { return false }
                off += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw StanceError.io("cannot write \(path): \(reason). The previous file, if any, is unchanged.")
        }
    }
}
