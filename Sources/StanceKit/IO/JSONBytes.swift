/// Writes JSON text straight into a byte buffer: the hot path of
/// stance-classify's output, with no intermediate values or strings.
public enum JSONBytes {
    public static func string(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { string(utf8: $0, into: &out) }
    }

    /// A JSON string of valid UTF-8 bytes: quotes, backslashes and control
    /// characters escaped, unchanged runs copied whole.
    public static func string(utf8 s: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(0x22)
        var run = 0
        for i in 0..<s.count {
            let b = s[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<i])) }
            run = i + 1
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            default: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex(b >> 4), hex(b & 0xF)])
            }
        }
        if run < s.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run...])) }
        out.append(0x22)
    }

    @inline(__always) static func hex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

    /// Integers print without a fraction; other numbers with at most four
    /// decimals, trailing zeros dropped; non-finite numbers as null.
    public static func number(_ d: Double, into out: inout [UInt8]) {
        if d >= 0, d <= 1 {
            let packed = unitFraction(d)
            withUnsafeBytes(of: packed.littleEndian) { out.append(contentsOf: $0.prefix(Int(packed >> 56))) }
            return
        }
        generalNumber(d, into: &out)
    }

    /// The text of `number(d)` for 0 ≤ d ≤ 1 (a probability), from a table of
    /// the 10,001 ten-thousandths: up to 7 bytes, the length in the top byte.
    @inline(__always) static func unitFraction(_ d: Double) -> UInt64 {
        unitFractions[Int((d * 10000).rounded())]
    }

    private static let unitFractions: [UInt64] = (0...10000).map { i in
        var b: [UInt8] = []
        generalNumber(Double(i) / 10000, into: &b)
        precondition(b.count < 8)
        var v = UInt64(b.count) << 56
        for (k, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(k)) }
        return v
    }

    private static func generalNumber(_ d: Double, into out: inout [UInt8]) {
        guard d.isFinite, abs(d) < 9e14 else {
            if d.isFinite { out.append(contentsOf: Array(String(d).utf8)) } else { out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
            return
        }
        var scaled = Int64((d * 10000).rounded())
        if scaled < 0 { out.append(0x2D); scaled = -scaled }
        integer(scaled / 10000, into: &out)
        var frac = scaled % 10000
        guard frac != 0 else { return }
        out.append(0x2E)
        var digits = 4
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        var tmp: [UInt8] = [0, 0, 0, 0]
        for i in stride(from: digits - 1, through: 0, by: -1) { tmp[i] = 0x30 + UInt8(frac % 10); frac /= 10 }
        out.append(contentsOf: tmp[0..<digits])
    }

    public static func integer(_ v: Int64, into out: inout [UInt8]) {
        if v < 0 { out.append(0x2D); integer(-v, into: &out); return }
        if v >= 10 { integer(v / 10, into: &out) }
        out.append(0x30 + UInt8(v % 10))
    }

    @inline(__always) static func key(_ k: StaticString, into out: inout [UInt8]) {
        k.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}
