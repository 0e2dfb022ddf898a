/// A video the study's state does not let this run take (`ClaimDecision.refused`), with why.
public struct ClaimRefused: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}
