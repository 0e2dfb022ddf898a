/// The Facial Action Coding System's names of the action units facemirror's methods give, for reports
/// a clinician reads ("AU12 lip corner puller", not "AU12").
public enum ActionUnitName {
    public static let names: [String: String] = [
        "AU01": "inner brow raiser", "AU02": "outer brow raiser", "AU04": "brow lowerer", "AU05": "upper lid raiser",
        "AU06": "cheek raiser", "AU07": "lid tightener", "AU09": "nose wrinkler", "AU10": "upper lip raiser",
        "AU12": "lip corner puller", "AU14": "dimpler", "AU15": "lip corner depressor", "AU16": "lower lip depressor",
        "AU17": "chin raiser", "AU20": "lip stretcher", "AU23": "lip tightener", "AU25": "lips part", "AU26": "jaw drop",
        "AU45": "blink",
    ]

    /// "AU12 lip corner puller"; the code alone when it has no name here.
    public static func labelled(_ unit: String) -> String { names[unit].map { "\(unit) \($0)" } ?? unit }
}
