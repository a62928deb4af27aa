/// A change the registry refuses, with the reason an operator can act on. `line` points into the
/// file being imported, when the change came from one.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    public var line: Int?
    public var message: String

    public init(_ message: String, line: Int? = nil) {
        self.message = message
        self.line = line
    }

    public var description: String { message }
}
