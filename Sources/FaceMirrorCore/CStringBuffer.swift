/// The bindings hand C functions a fixed buffer for their error message; this reads it back.
extension String {
    /// The UTF-8 text before the first NUL of `buffer` (all of it when there is none).
    public init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
