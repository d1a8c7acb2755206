/// Errors from bad data or I/O. Each message says what went wrong, where
/// (file and line when there is one) and what to do about it.
public enum StanceError: Error, CustomStringConvertible, Equatable {
    /// A corpus record that cannot be used.
    case corpus(file: String, line: Int, message: String)
    /// A model file that cannot be loaded.
    case modelFile(path: String, message: String)
    /// A transcript that cannot be read.
    case input(file: String, message: String)
    case emptyVocabulary(String)
    case training(String)
    case io(String)

    public var description: String {
        switch self {
        case let .corpus(file, line, message): return "\(file):\(line): \(message)"
        case let .modelFile(path, message): return "\(path): \(message)"
        case let .input(file, message): return "\(file): \(message)"
        case let .emptyVocabulary(m), let .training(m), let .io(m): return m
        }
    }
}
