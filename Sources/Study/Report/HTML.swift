import Foundation

/// Pieces of the self-contained HTML pages: escaping, numbers, the page shell with its style sheet
/// (no external script, font or image: a report opens the same on a laptop with no network, and prints).
public enum HTML {
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A number for a table cell: `digits` decimals, "–" where there is none.
    public static func number(_ v: Double?, _ digits: Int = 3) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.\(digits)f", v)
    }

    /// `head`: more of the page's head (a served page's script file and its CSRF token).
    public static func page(title: String, body: String, script: String? = nil, head: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="facemirror">
        <title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 1.5em auto; max-width: 1100px; padding: 0 1em; color: #222; }
        h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; font-size: 0.9em; } th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1em 0; } figcaption { font-size: 0.85em; color: #555; } img { max-width: 100%; height: auto; border: 1px solid #ccc; }
        svg { width: 100%; height: auto; } .muted { color: #777; } .failed { color: #b00; } code { font-size: 0.9em; }
        td.asked { font-weight: bold; } svg.exam-strip { margin-bottom: -0.8em; }
        th[data-sort] { cursor: pointer; } th[data-sort]:after { content: " ⇅"; color: #aaa; }
        @media print { body { max-width: none; margin: 0; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } th[data-sort]:after { content: ""; } }
        </style>
        \(head)
        </head>
        <body>
        \(body)
        \(script.map { "<script>\n\($0)\n</script>" } ?? "")
        </body>
        </html>

        """
    }
}
