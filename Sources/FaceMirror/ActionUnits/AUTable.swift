import FaceMirrorCore

/// One AU method's results over a video: for every frame and hemiface the intensity of each of its
/// AUs (NaN where that hemiface was not measured), whether it was measured, and the columns the method
/// gives beside its AUs (MTL's emotion probabilities and gaze). What the AU CSVs and the asymmetry
/// outputs are written from, once the method's post-processing is done.
public struct AUTable: Sendable {
    /// A frame's place in the video and the follower's confidence in its face.
    public struct Frame: Sendable {
        public let index: Int
        public let time: Double
        public let confidence: Double

        public init(index: Int, time: Double, confidence: Double) {
            self.index = index
            self.time = time
            self.confidence = confidence
        }
    }

    /// One hemiface of one frame: its AUs in `actionUnits` order and its extra columns.
    public struct Side: Sendable {
        public var measured: Bool
        public var intensities: [Double]
        public var extras: [Double]

        public init(measured: Bool, intensities: [Double], extras: [Double] = []) {
            self.measured = measured
            self.intensities = intensities
            self.extras = extras
        }
    }

    public let method: AUMethod
    public let actionUnits: [String]
    public let extraColumns: [String]
    public private(set) var frames: [Frame] = []
    // Frame-major, `actionUnits.count` (or `extraColumns.count`) values a frame per hemiface.
    private var intensities: [Hemiface: [Double]] = [.right: [], .left: []]
    private var extras: [Hemiface: [Double]] = [.right: [], .left: []]
    private var measured: [Hemiface: [Bool]] = [.right: [], .left: []]
    private let unitIndex: [String: Int]

    public init(method: AUMethod, actionUnits: [String], extraColumns: [String] = []) {
        self.method = method
        self.actionUnits = actionUnits
        self.extraColumns = extraColumns
        unitIndex = Dictionary(uniqueKeysWithValues: actionUnits.enumerated().map { ($1, $0) })
    }

    /// A side that was not measured: every value NaN.
    public func unmeasured() -> Side {
        Side(measured: false, intensities: [Double](repeating: .nan, count: actionUnits.count),
             extras: [Double](repeating: .nan, count: extraColumns.count))
    }

    /// Adds the next frame; a side missing from `sides` was not measured.
    public mutating func append(_ frame: Frame, _ sides: [Hemiface: Side]) {
        frames.append(frame)
        for side in Hemiface.allCases {
            let s = sides[side] ?? unmeasured()
            precondition(s.intensities.count == actionUnits.count && s.extras.count == extraColumns.count, "a row of another shape")
            intensities[side]!.append(contentsOf: s.intensities)
            extras[side]!.append(contentsOf: s.extras)
            measured[side]!.append(s.measured)
        }
    }

    public var count: Int { frames.count }

    public func isMeasured(frame i: Int, side: Hemiface) -> Bool { measured[side]![i] }

    /// The intensity of `unit` (NaN when the method has no such AU).
    public func intensity(_ unit: String, frame i: Int, side: Hemiface) -> Double {
        guard let k = unitIndex[unit] else { return .nan }
        return intensities[side]![i * actionUnits.count + k]
    }

    public func extras(frame i: Int, side: Hemiface) -> ArraySlice<Double> {
        let n = extraColumns.count
        return extras[side]![(i * n)..<((i + 1) * n)]
    }

    /// Frame i's AUs of both hemifaces, for the asymmetry measures.
    public func asymmetryFrame(_ i: Int) -> AUAsymmetry.Frame {
        Dictionary(uniqueKeysWithValues: actionUnits.map { unit in
            (unit, (right: intensity(unit, frame: i, side: .right), left: intensity(unit, frame: i, side: .left)))
        })
    }
}
