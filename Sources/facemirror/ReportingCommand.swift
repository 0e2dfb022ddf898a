import ArgumentParser

/// A facemirror command: its work is `execute()`. Whatever it throws is reported here, once, and the
/// command exits with status 1 (an `ExitCode` it throws has been reported already and passes as it is).
protocol ReportingCommand: ParsableCommand {
    func execute() throws
}

extension ReportingCommand {
    func run() throws {
        do {
            try execute()
        } catch let code as ExitCode {
            throw code
        } catch {
            ErrorReport.error(error)
            throw ExitCode.failure
        }
    }
}
