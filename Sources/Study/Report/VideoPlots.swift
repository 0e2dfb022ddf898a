import FaceMirror
import FaceMirrorCore
import Foundation

/// The time plots of one video, for its report and the workspace's video page: each zone's asymmetry
/// index, each zone's left − right measures, the hemifaces' action units per zone (when measured) and
/// the head yaw, frames without a face shaded. Each plot carries its time axis (`data-t0`, …) for a
/// page's cursor.
public enum VideoPlots {
    /// From the video's `<stem>_asymmetry.csv` and `<stem>_landmarks.csv`.
    public static func figures(_ t: CSVTable, landmarks: CSVTable, times: [Double], noFace: [Bool]) -> [String] {
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
        var plots: [String] = []
        var zoneIndex = SVGPlot(title: "Asymmetry index per zone", yLabel: "|L−R|/(|L|+|R|)", times: times, shaded: noFace)
        zoneIndex.series = FaceZone.allCases.enumerated().map { k, z in SVGPlot.Series(name: z.rawValue, colour: colours[k], values: t.column("\(z.rawValue)_index")) }
        plots.append(zoneIndex.svg(id: "plot-zones"))
        for zone in FaceZone.allCases {
            let measures = FacialMeasure.allCases.filter { $0.zone == zone && !$0.isAngle }
            var p = SVGPlot(title: "\(zone.rawValue): left − right", yLabel: "× intercanthal distance", times: times, shaded: noFace)
            p.series = measures.enumerated().map { k, m in SVGPlot.Series(name: m.rawValue, colour: colours[k % colours.count], values: t.column("\(m.rawValue)_diff")) }
            plots.append(p.svg(id: "plot-\(zone.rawValue)"))
        }
        for zone in FaceZone.allCases {
            let units = AUAsymmetry.zones(of: t.header.filter { $0.hasSuffix("_right") && $0.hasPrefix("AU") }.map { String($0.dropLast(6)) })
                .first { $0.zone == zone }?.units ?? []
            guard !units.isEmpty else { continue }
            func mean(_ side: String) -> [Double] {
                let columns = units.map { t.column("\($0)_\(side)") }
                return (0..<times.count).map { i in
                    let v = columns.map { $0[i] }.filter(\.isFinite)
                    return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
                }
            }
            var p = SVGPlot(title: "\(zone.rawValue) action units: mean intensity of \(units.map(ActionUnitName.labelled).joined(separator: ", "))", yLabel: "intensity", times: times, shaded: noFace)
            p.series = [SVGPlot.Series(name: "right hemiface", colour: colours[0], values: mean("right")),
                        SVGPlot.Series(name: "left hemiface", colour: colours[1], values: mean("left"), dashed: true)]
            plots.append(p.svg(id: "plot-au-\(zone.rawValue)"))
        }
        var yaw = SVGPlot(title: "Head yaw", yLabel: "degrees", times: times, shaded: noFace)
        yaw.series = [SVGPlot.Series(name: "yaw", colour: "#333", values: landmarks.column("yaw"))]
        yaw.bands = [SVGPlot.Band(from: -3, to: 3, colour: "#2ca02c", label: "good: |yaw| ≤ 3°"),
                     SVGPlot.Band(from: 3, to: 5, colour: "#ffbf00", label: "acceptable: 3° < |yaw| ≤ 5°"),
                     SVGPlot.Band(from: -5, to: -3, colour: "#ffbf00", label: "acceptable: 3° < |yaw| ≤ 5°"),
                     SVGPlot.Band(from: 5, to: 90, colour: "#d62728", label: "poor: |yaw| > 5°"),
                     SVGPlot.Band(from: -90, to: -5, colour: "#d62728", label: "poor: |yaw| > 5°")]
        yaw.yRange = -10...10
        plots.append(yaw.svg(id: "plot-yaw"))
        return plots
    }
}
