/// A video's landmark quality: of the frames with a face, how many had poor landmarks and why, and the
/// warning a user gets when they are too many (`warningShare`, the upstream tool's 30 %).
public struct LandmarkQualitySummary: Codable, Sendable, Equatable {
    public struct IssueCount: Codable, Sendable, Equatable {
        public let issue: String
        public let frames: Int
        /// What usually causes it.
        public let likelyCause: String
    }

    public private(set) var framesWithFace = 0
    public private(set) var poorFrames = 0
    /// Most frequent first.
    public private(set) var issues: [IssueCount] = []

    /// Above this share of the frames with a face, a video's landmarks are said to be poor.
    public static let warningShare = 0.3

    public init() {}

    /// One more frame with a face, and its quality.
    public mutating func count(_ quality: LandmarkQuality?) {
        framesWithFace += 1
        guard let issue = quality?.issue else { return }
        poorFrames += 1
        if let i = issues.firstIndex(where: { $0.issue == issue.label }) {
            issues[i] = IssueCount(issue: issue.label, frames: issues[i].frames + 1, likelyCause: issue.likelyCause)
        } else {
            issues.append(IssueCount(issue: issue.label, frames: 1, likelyCause: issue.likelyCause))
        }
        issues.sort { $0.frames > $1.frames }
    }

    /// Poor frames as a share of the frames with a face (0 without a face).
    public var poorShare: Double { framesWithFace > 0 ? Double(poorFrames) / Double(framesWithFace) : 0 }

    /// "mouth covered 40, head turned 3": the reasons with their frame counts.
    public var reasons: String { issues.map { "\($0.issue) \($0.frames)" }.joined(separator: ", ") }

    /// The warning for a video whose landmarks are poor in more than `warningShare` of its frames with a
    /// face, naming the most frequent reason and what usually causes it; nil otherwise.
    public var warning: String? {
        guard poorShare > LandmarkQualitySummary.warningShare, let top = issues.first else { return nil }
        return "landmarks are poor in \(poorFrames) of the \(framesWithFace) frames with a face (\(Int((100 * poorShare).rounded())) %; \(reasons)): "
            + "\(top.likelyCause). Their measures are left out of the video's summary; check the debug video"
    }
}
