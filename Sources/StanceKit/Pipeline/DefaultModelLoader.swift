/// Loads the default model from bytes embedded in the executable.
public enum DefaultModelLoader {
    public static func load(bytes: UnsafePointer<UInt8>?, count: Int) throws -> StanceModel {
        guard let bytes, count > 0 else {
            throw StanceError.modelFile(path: "(embedded default model)", message: "this build has no default model. Pass --model FILE, or run scripts/train-default-model and rebuild.")
        }
        return try ModelFile.decode(Array(UnsafeBufferPointer(start: bytes, count: count)), source: "(embedded default model)")
    }
}
