import FaceModels
import FaceMirrorCore
import Foundation

/// How far two facemirror CSVs of the same video are apart: landmark CSVs in pixels per landmark,
/// AU CSVs per action unit (mean absolute difference and Pearson r). Frames are matched by their
/// `frame` number. The comparison fails, whatever the distances, when a frame is only in one file, a
/// frame number repeats, or a compared value is not a number (`abc`, `1e309`, `-inf`; `NaN` is a missing
/// value, as facemirror writes it): each is counted and named.
public struct CSVComparison: Sendable, Codable {
    public enum Kind: String, Sendable, Codable { case landmarks, actionUnits = "action_units" }

    public struct Stat: Sendable, Codable {
        public let name: String
        public let count: Int
        public let mean: Double
        public let p95: Double
        public let max: Double
        /// Pearson correlation (AU columns only).
        public let r: Double?
    }

    public struct FrameDeviation: Sendable, Codable {
        public let frame: Int
        public let worst: Double
        public let name: String
    }

    public let kind: Kind
    public let rowsA: Int
    public let rowsB: Int
    public let matchedFrames: Int
    public let onlyInA: [Int]
    public let onlyInB: [Int]
    /// Frame numbers that appear more than once, per file.
    public let repeatedInA: [Int]
    public let repeatedInB: [Int]
    /// Compared cells that hold no number (neither a finite one nor `NaN`), over both files.
    public let invalidValues: Int
    /// Per landmark (px) or per AU (absolute difference).
    public let stats: [Stat]
    /// Over every landmark / AU value compared.
    public let overall: Stat
    /// Frames with the largest deviation, worst first.
    public let worstFrames: [FrameDeviation]
    public let tolerance: Double
    /// Landmarks: frames where some landmark moved more than the tolerance. AUs: AUs whose mean
    /// absolute difference is above it.
    public let failures: [String]
    public var passed: Bool { failures.isEmpty }

    public static func compare(_ a: CSVTable, _ b: CSVTable, landmarkTolerance: Double = 2.0, auTolerance: Double = 0.05) throws -> CSVComparison {
        guard a.has("frame"), b.has("frame") else {
            throw CSVError.notFaceMirrorCSV(path: a.has("frame") ? b.path : a.path, reason: "no frame column")
        }
        let landmarkCount = a.header.filter { $0.hasPrefix("x_") }.count
        let aus = a.header.filter { $0.hasPrefix("AU") && $0.hasSuffix("_r") }
        let kind: Kind
        if landmarkCount > 0 && a.has("y_0") { kind = .landmarks } else if !aus.isEmpty { kind = .actionUnits } else {
            throw CSVError.notFaceMirrorCSV(path: a.path, reason: "neither landmark columns (x_0, y_0, …) nor AU columns (AU01_r, …)")
        }
        guard a.header == b.header else {
            throw CSVError.columnsDiffer(path: b.path, from: a.path)
        }
        let framesA = try a.frameNumbers(), framesB = try b.frameNumbers()
        var indexB: [Int: Int] = [:]
        for (i, f) in framesB.enumerated() { indexB[f] = i }
        let setA = Set(framesA)
        let pairs = framesA.enumerated().compactMap { i, f in indexB[f].map { (f, i, $0) } }
        let onlyA = framesA.filter { indexB[$0] == nil }, onlyB = framesB.filter { !setA.contains($0) }

        var stats: [Stat] = []
        var all: [Double] = []
        var perFrame: [Int: (Double, String)] = [:]
        var failures: [String] = []
        func listed(_ frames: [Int]) -> String { frames.prefix(10).map(String.init).joined(separator: ", ") + (frames.count > 10 ? ", …" : "") }
        if pairs.isEmpty { failures.append("no frame is in both files: nothing was compared") }
        if !onlyA.isEmpty { failures.append("\(onlyA.count) frames only in the first file (\(listed(onlyA)))") }
        if !onlyB.isEmpty { failures.append("\(onlyB.count) frames only in the second file (\(listed(onlyB)))") }
        let repeatedA = repeated(framesA), repeatedB = repeated(framesB)
        if !repeatedA.isEmpty { failures.append("frame numbers repeated in the first file: \(listed(repeatedA))") }
        if !repeatedB.isEmpty { failures.append("frame numbers repeated in the second file: \(listed(repeatedB))") }
        let compared = kind == .landmarks ? a.header.filter { $0.hasPrefix("x_") || $0.hasPrefix("y_") } : aus
        let invalid = invalidCells(a, compared) + invalidCells(b, compared)
        if !invalid.isEmpty {
            failures.append("\(invalid.count) values are not numbers (" + invalid.prefix(5).joined(separator: "; ") + (invalid.count > 5 ? "; …" : "") + ")")
        }
        switch kind {
        case .landmarks:
            let okA = a.column("success"), okB = b.column("success")
            for i in 0..<landmarkCount {
                let pa = a.point(i), pb = b.point(i)
                var d: [Double] = []
                for (frame, ia, ib) in pairs where okA[ia] == 1 && okB[ib] == 1 {
                    let v = hypot(pa[ia].x - pb[ib].x, pa[ia].y - pb[ib].y)
                    guard v.isFinite else { continue }
                    d.append(v)
                    if v > (perFrame[frame]?.0 ?? -1) { perFrame[frame] = (v, "landmark \(i)") }
                }
                stats.append(stat("landmark \(i)", d, r: nil))
                all += d
            }
            let tol = landmarkTolerance
            failures += perFrame.filter { $0.value.0 > tol }.sorted { $0.key < $1.key }
                .map { String(format: "frame %d: %@ moved %.2f px (tolerance %.2f)", $0.key, $0.value.1, $0.value.0, tol) }
            let lost = pairs.filter { okA[$0.1] != okB[$0.2] }.map(\.0)
            if !lost.isEmpty { failures.append("face found in one file but not the other in frames \(lost.prefix(20).map(String.init).joined(separator: ", "))") }
        case .actionUnits:
            for au in aus {
                let ca = a.column(au), cb = b.column(au)
                var xs: [Double] = [], ys: [Double] = []
                for (frame, ia, ib) in pairs where ca[ia].isFinite && cb[ib].isFinite {
                    xs.append(ca[ia]); ys.append(cb[ib])
                    let v = abs(ca[ia] - cb[ib])
                    if v > (perFrame[frame]?.0 ?? -1) { perFrame[frame] = (v, au) }
                }
                let d = zip(xs, ys).map { abs($0 - $1) }
                let s = stat(String(au.dropLast(2)), d, r: pearson(xs, ys))
                stats.append(s)
                all += d
                if s.count > 0 && s.mean > auTolerance {
                    failures.append(String(format: "%@: mean absolute difference %.4f (tolerance %.4f)", s.name, s.mean, auTolerance))
                }
            }
        }
        let worst = perFrame.sorted { $0.value.0 > $1.value.0 }.prefix(5).map { FrameDeviation(frame: $0.key, worst: $0.value.0, name: $0.value.1) }
        return CSVComparison(kind: kind, rowsA: a.rows.count, rowsB: b.rows.count, matchedFrames: pairs.count, onlyInA: onlyA, onlyInB: onlyB,
                             repeatedInA: repeatedA, repeatedInB: repeatedB, invalidValues: invalid.count, stats: stats, overall: stat("all", all, r: nil), worstFrames: Array(worst),
                             tolerance: kind == .landmarks ? landmarkTolerance : auTolerance, failures: failures)
    }

    /// Frame numbers that appear more than once, in order of first repeat.
    static func repeated(_ frames: [Int]) -> [Int] {
        var seen = Set<Int>(), twice: [Int] = [], listed = Set<Int>()
        for f in frames where !seen.insert(f).inserted && listed.insert(f).inserted { twice.append(f) }
        return twice
    }

    /// Cells of `columns` that hold neither a finite number nor `NaN`, as "FILE row N COLUMN 'TEXT'".
    static func invalidCells(_ t: CSVTable, _ columns: [String]) -> [String] {
        let name = URL(fileURLWithPath: t.path).lastPathComponent
        var out: [String] = []
        for column in columns {
            for (row, text) in t.text(column).enumerated() {
                let value = text.trimmingCharacters(in: .whitespaces)
                if value.caseInsensitiveCompare("nan") == .orderedSame { continue }
                if let v = Double(value), v.isFinite { continue }
                out.append("\(name) row \(row + 2) \(column) '\(value)'")
            }
        }
        return out
    }

    static func stat(_ name: String, _ v: [Double], r: Double?) -> Stat {
        guard !v.isEmpty else { return Stat(name: name, count: 0, mean: .nan, p95: .nan, max: .nan, r: r) }
        return Stat(name: name, count: v.count, mean: v.reduce(0, +) / Double(v.count),
                    p95: Statistics.percentile(v, 95), max: v.max()!, r: r)
    }

    /// Pearson correlation; NaN when either side is constant or there are fewer than 2 pairs.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count == y.count, x.count >= 2 else { return .nan }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        guard sxx > 0, syy > 0 else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }

    /// A readable report.
    public var text: String {
        var out: [String] = []
        let unit = kind == .landmarks ? "px" : ""
        out.append("\(kind == .landmarks ? "landmarks" : "action units"): \(rowsA) rows vs \(rowsB) rows, \(matchedFrames) frames matched")
        if rowsA != rowsB || !onlyInA.isEmpty || !onlyInB.isEmpty {
            out.append("row counts differ: \(onlyInA.count) frames only in the first file, \(onlyInB.count) only in the second"
                       + (onlyInA.isEmpty ? "" : " (first: \(onlyInA.prefix(10).map(String.init).joined(separator: ", ")))")
                       + (onlyInB.isEmpty ? "" : " (second: \(onlyInB.prefix(10).map(String.init).joined(separator: ", ")))"))
        }
        out.append(String(format: "overall: mean %.4f %@, p95 %.4f, max %.4f over %d values", overall.mean, unit, overall.p95, overall.max, overall.count))
        if kind == .actionUnits {
            for s in stats {
                out.append(String(format: "  %@  mean |diff| %.4f  max %.4f  r %@  (%d frames)", s.name, s.mean, s.max,
                                  s.r.map { $0.isNaN ? "n/a" : String(format: "%.4f", $0) } ?? "n/a", s.count))
            }
        } else {
            let worst = stats.filter { $0.count > 0 }.sorted { $0.max > $1.max }.prefix(5)
            out.append("landmarks furthest apart: " + worst.map { String(format: "%@ (max %.2f, mean %.2f)", $0.name, $0.max, $0.mean) }.joined(separator: "; "))
        }
        if !worstFrames.isEmpty {
            out.append("worst frames: " + worstFrames.map { String(format: "%d (%@ %.3f)", $0.frame, $0.name, $0.worst) }.joined(separator: ", "))
        }
        out.append(passed ? "PASS (tolerance \(tolerance))" : "FAIL:\n  " + failures.prefix(30).joined(separator: "\n  ")
                   + (failures.count > 30 ? "\n  … \(failures.count - 30) more" : ""))
        return out.joined(separator: "\n") + "\n"
    }
}
