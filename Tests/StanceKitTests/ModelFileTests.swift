import Foundation
import Testing
@testable import StanceKit

@Suite struct ModelFileTests {
    @Test func roundTripKeepsEverything() throws {
        let model = try TinyCorpus.model()
        let bytes = ModelFile.encode(model)
        let back = try ModelFile.decode(bytes)
        #expect(back.vectorizer.terms == model.vectorizer.terms)
        #expect(back.vectorizer.idf == model.vectorizer.idf)
        #expect(back.vectorizer.settings == model.vectorizer.settings)
        #expect(back.heads == model.heads)
        #expect(back.metadata == model.metadata)
        #expect(ModelFile.encode(back) == bytes)
    }

    @Test func damagedOrForeignFilesAreRejected() throws {
        let bytes = ModelFile.encode(try TinyCorpus.model())
        func rejects(_ b: [UInt8], _ fragment: String) {
            do {
                _ = try ModelFile.decode(b, source: "m.stance")
                Issue.record("accepted a bad file (\(fragment))")
            } catch let e as StanceError {
                #expect("\(e)".contains(fragment), "\(e)")
            } catch { Issue.record("unexpected error \(error)") }
        }
        rejects([], "shorter than")
        rejects(Array(bytes.prefix(10)), "shorter than")
        rejects(Array(bytes.dropLast(7)), "truncated")
        rejects(Array("PK\u{3}\u{4}not a model at all, just some zip-like bytes".utf8), "not a stance model")
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x10
        rejects(flipped, "checksum")
        var newer = bytes
        newer[8] = 2
        rejects(newer, "newer")
        var rng = SplitMix(seed: 1)
        rejects((0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, "not a stance model")
    }

    @Test func hugeCountsInsideAValidChecksumAreRejectedBeforeAllocating() throws {
        // A payload whose checksum is right but whose counts lie.
        var w = ByteWriter()
        w.bytes += Array("VECT".utf8)
        w.u64(40)
        w.u32(1); w.u32(2); w.u32(0); w.u32(0); w.u32(1); w.f64(1); w.u64(0); w.u8(1); w.u8(1); w.u8(1)
        w.u64(UInt64.max / 2)
        var file = ByteWriter()
        file.bytes += ModelFile.magic
        file.u32(1)
        file.u64(UInt64(w.bytes.count))
        file.u32(CRC32.checksum(w.bytes))
        file.bytes += w.bytes
        #expect(throws: StanceError.self) { try ModelFile.decode(file.bytes) }
    }

    @Test func atomicWriteLeavesNoPartialFile() throws {
        let dir = Repo.temporaryDirectory()
        let path = dir.appendingPathComponent("m.stance").path
        try ModelFile.write(try TinyCorpus.model(), to: path)
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StanceError.self) { try AtomicFile.write([1, 2, 3], to: dir.appendingPathComponent("missing/x").path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.stance"])
    }

    @Test func checksumsMatchKnownValues() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
