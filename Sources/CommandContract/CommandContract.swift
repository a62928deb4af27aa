import ArgumentParser
import Foundation

/// A mistake in how the command was called: exit status 2.
public struct UsageError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A failure while doing the work: exit status 1.
public struct Failure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One line on standard error.
public enum FileStandardError {
    public static func write(_ line: String) {
        FileHandle.standardError.write(Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }
}

extension ParsableCommand {
    /// Parses the command line and runs the command, ending as PROTOCOL.md §5 says: 0 on
    /// success, 2 on bad usage, 1 on any other failure, with one clear line on standard error
    /// that begins with `name:` (the commands' own errors already do).
    public static func runAsCommand(named name: String) -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            exit(withError: nil)
        } catch let error as ExitCode {
            // The command has already said why.
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                exit(withError: nil)
            }
            let message = error is UsageError || error is Failure ? "\(error)" : "\(name): \(Self.message(for: error))"
            FileStandardError.write(message + (code == .validationFailure ? " (see \(name) --help)" : ""))
            Foundation.exit(code == .validationFailure || error is UsageError ? 2 : 1)
        }
    }
}
