/// A sparse matrix in compressed sparse row (CSR) form: row `i`'s nonzeros are
/// `values[rowStarts[i]..<rowStarts[i+1]]` at columns `columns[...]`, columns
/// ascending within a row. All three buffers are contiguous.
public struct SparseMatrix: Sendable, Equatable {
    public private(set) var rowStarts: [Int]
    public private(set) var columns: [Int32]
    public private(set) var values: [Float]
    public let columnCount: Int

    public init(columnCount: Int) {
        self.rowStarts = [0]
        self.columns = []
        self.values = []
        self.columnCount = columnCount
    }

    public var rowCount: Int { rowStarts.count - 1 }
    public var nonzeroCount: Int { columns.count }

    /// Appends a row given as (column, value) pairs sorted by column.
    public mutating func appendRow(columns cols: [Int32], values vals: [Float]) {
        precondition(cols.count == vals.count, "appendRow: \(cols.count) columns but \(vals.count) values")
        columns.append(contentsOf: cols)
        values.append(contentsOf: vals)
        rowStarts.append(columns.count)
    }

    public func row(_ i: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let r = rowStarts[i]..<rowStarts[i + 1]
        return (columns[r], values[r])
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> SparseMatrix {
        var m = SparseMatrix(columnCount: columnCount)
        m.rowStarts.reserveCapacity(indices.count + 1)
        for i in indices {
            let r = rowStarts[i]..<rowStarts[i + 1]
            m.columns.append(contentsOf: columns[r])
            m.values.append(contentsOf: values[r])
            m.rowStarts.append(m.columns.count)
        }
        return m
    }

    /// Y ← X·W + 1·bᵀ, for W row-major (`columnCount`×`k`); Y is row-major (`rowCount`×`k`).
    /// Rows `range` only, written to Y's matching rows.
    public func multiply(_ w: UnsafeBufferPointer<Double>, bias: UnsafeBufferPointer<Double>, k: Int,
                         rows range: Range<Int>, into y: UnsafeMutableBufferPointer<Double>) {
        for i in range {
            let out = i * k
            for c in 0..<k { y[out + c] = bias[c] }
            for p in rowStarts[i]..<rowStarts[i + 1] {
                let v = Double(values[p])
                let base = Int(columns[p]) * k
                for c in 0..<k { y[out + c] += v * w[base + c] }
            }
        }
    }

    /// The transpose, also in CSR form (so X's columns become rows); within
    /// each new row the entries keep X's row order.
    public func transposed() -> SparseMatrix {
        var counts = [Int](repeating: 0, count: columnCount + 1)
        for c in columns { counts[Int(c) + 1] += 1 }
        for j in 0..<columnCount { counts[j + 1] += counts[j] }
        var t = SparseMatrix(columnCount: rowCount)
        t.rowStarts = counts
        t.columns = [Int32](repeating: 0, count: nonzeroCount)
        t.values = [Float](repeating: 0, count: nonzeroCount)
        var fill = counts
        for i in 0..<rowCount {
            for p in rowStarts[i]..<rowStarts[i + 1] {
                let j = Int(columns[p])
                t.columns[fill[j]] = Int32(i)
                t.values[fill[j]] = values[p]
                fill[j] += 1
            }
        }
        return t
    }
}
