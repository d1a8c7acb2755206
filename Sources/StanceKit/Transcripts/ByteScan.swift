/// A set of byte values, for scanning UTF-8 text for ASCII delimiters.
struct ByteSet {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ bytes: [UInt8]) {
        for b in bytes where b < 128 {
            if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) }
        }
    }

    func contains(_ b: UInt8) -> Bool {
        b < 64 ? low >> UInt64(b) & 1 == 1 : b < 128 && high >> UInt64(b - 64) & 1 == 1
    }
}

extension Substring {
    /// The index of the first UTF-8 byte at or after `from` that is in
    /// `stops`, or `endIndex`. Works on the contiguous storage when there is
    /// one, which keeps long lines fast.
    func firstByte(from: String.Index, in stops: ByteSet) -> String.Index {
        let rest = self[from...].utf8
        let offset = rest.withContiguousStorageIfAvailable { buf -> Int in
            var i = 0
            while i < buf.count, !stops.contains(buf[i]) { i += 1 }
            return i
        }
        if let offset { return rest.index(from, offsetBy: offset) }
        return rest.firstIndex(where: stops.contains) ?? endIndex
    }
}
