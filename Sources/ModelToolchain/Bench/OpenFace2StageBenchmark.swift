import FaceMirrorCore
import FaceModels
import Foundation
import MediaBinding
import VisionBinding

/// Times OpenFace 2's AU stages on one face per frame, stage by stage, as the Python reference
/// (`../shared/models/openface2/reference`) times its own: the video's frames with the landmarks of a
/// landmark CSV (facemirror's layout: frame, success, x_0…, y_0…), decoding not counted.
public enum OpenFace2StageBenchmark {
    public static let stages = ["pdm fit", "align + mask", "fhog", "geometry", "median + svr"]

    public struct Result: Codable, Sendable {
        public let faces: Int
        /// Milliseconds per face, per stage, the first face left out (as the reference reports).
        public let meanMs: [String: Double]
        public let medianMs: [String: Double]
        public let totalMeanMs: Double
        public let totalMedianMs: Double
    }

    public static func run(video: String, landmarksCSV: String, models: OpenFace2Models, passes: Int = 1) throws -> Result {
        let table = try CSVTable(path: landmarksCSV)
        guard table.has("x_67"), table.has("y_67"), table.has("success") else {
            throw CSVError.unreadable(path: landmarksCSV, reason: "no 68-point landmark columns (x_0…x_67, y_0…y_67, success)")
        }
        let success = table.column("success")
        let xs = (0..<68).map { table.column("x_\($0)") }, ys = (0..<68).map { table.column("y_\($0)") }
        var times: [String: [Double]] = Dictionary(uniqueKeysWithValues: stages.map { ($0, []) })
        var totals: [Double] = []
        for _ in 0..<passes {
            let reader = try VideoReader(path: video, threads: 1)
            var track = OpenFace2AUTrack(models: models)
            var index = 0
            while let frame = try reader.next() {
                defer { index += 1 }
                guard index < success.count, success[index] == 1 else { track.add(nil); continue }
                let points = (0..<68).map { Point(xs[$0][index], ys[$0][index]) }
                var lap = DispatchTime.now().uptimeNanoseconds
                var spent: [Double] = []
                func mark() {
                    let now = DispatchTime.now().uptimeNanoseconds
                    spent.append(Double(now - lap) / 1e6)
                    lap = now
                }
                let p = models.pdm.fit(points); mark()
                let (face, _, _) = try models.alignment.align(frame.image, landmarks: points, tx: p.tx, ty: p.ty); mark()
                let hog = try FHOG.features(face, cellSize: AUFeatures.cellSize).values; mark()
                let geometry = models.pdm.geometryFeatures(local: p.local).map { Float($0) }; mark()
                track.add(AUFeatures(hog: hog, geometry: geometry, parameters: p)); mark()
                for (stage, ms) in zip(stages, spent) { times[stage]!.append(ms) }
                totals.append(spent.reduce(0, +))
            }
            _ = track.finish()
        }
        guard totals.count > 1 else { throw CSVError.unreadable(path: landmarksCSV, reason: "fewer than two frames with a face") }
        func mean(_ v: [Double]) -> Double { let r = v.dropFirst(); return r.reduce(0, +) / Double(r.count) }
        func median(_ v: [Double]) -> Double { Statistics.percentile(Array(v.dropFirst()), 50) }
        return Result(faces: totals.count, meanMs: times.mapValues(mean), medianMs: times.mapValues(median),
                      totalMeanMs: mean(totals), totalMedianMs: median(totals))
    }
}
