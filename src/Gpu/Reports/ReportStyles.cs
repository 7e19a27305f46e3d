namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// The report's stylesheet, inlined so the file works offline and travels as one attachment. System fonts only:
/// a web font would need the network. Written without '&lt;' or '&amp;' so the page stays parseable as XML.
/// </summary>
internal static class ReportStyles
{
    public const string Css = """
        :root { --ink: #1b1f24; --muted: #5f6b7a; --line: #d9dee4; --panel: #f6f8fa; --accent: #0072B2; }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 32px 24px 64px; color: var(--ink); background: #ffffff;
               font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1040px; margin: 0 auto; }
        h1 { font-size: 28px; margin: 0 0 12px; }
        h2 { font-size: 20px; margin: 40px 0 6px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 16px; margin: 20px 0 6px; }
        .muted { color: var(--muted); font-weight: normal; }
        .lead { margin: 4px 0 12px; color: var(--muted); }
        .note, .footnote { color: var(--muted); font-size: 13px; }
        .banner { background: #fff4d6; border-left: 4px solid #E69F00; padding: 8px 12px; }
        .facts { display: flex; flex-wrap: wrap; gap: 8px 32px; margin: 0 0 16px; }
        .facts dt { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
        .facts dd { margin: 0; font-weight: 600; }
        .metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 16px; }
        .metric { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; }
        .metric-name { font-weight: 700; }
        .metric-value { font-size: 44px; font-weight: 700; line-height: 1.1; margin: 4px 0; font-variant-numeric: tabular-nums; }
        .metric-value .unit { font-size: 22px; color: var(--muted); margin-left: 2px; }
        .metric p { margin: 0; font-size: 13px; color: var(--muted); }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th, td { padding: 6px 10px; }
        thead th { font-size: 13px; color: var(--muted); font-weight: 600; }
        .heatmap th[scope=row] { text-align: left; white-space: nowrap; font-weight: 600; }
        .heatmap thead th { text-align: center; white-space: nowrap; max-width: 9em; overflow: hidden; text-overflow: ellipsis; }
        .heatmap td { min-width: 60px; text-align: center; border: 2px solid #ffffff; }
        .heatmap td.diagonal { outline: 2px solid var(--ink); outline-offset: -4px; font-weight: 700; }
        .heatmap td.zero-shot { font-style: italic; }
        .heatmap tfoot tr.chance td { color: var(--muted); font-style: italic; border-top: 2px solid var(--muted); }
        td.unmeasured, .swatch.unmeasured { background: #F0F0F0; color: var(--muted); }
        .scale { display: flex; align-items: center; gap: 4px; margin: 10px 0 4px; font-size: 12px; flex-wrap: wrap; }
        .scale .swatch { display: inline-block; min-width: 40px; text-align: center; padding: 2px 4px; }
        .scale .muted { margin: 0 6px; }
        .numbers { margin-top: 8px; }
        .numbers th, .numbers td { border-bottom: 1px solid var(--line); text-align: right; }
        .numbers th[scope=row] { text-align: left; font-weight: 600; }
        .numbers thead th { text-align: right; }
        .numbers thead th:first-child, .numbers thead th.text { text-align: left; }
        .numbers.compact th, .numbers.compact td { padding: 3px 8px; font-size: 13px; }
        tr.pending td, tr.pending th { color: var(--muted); font-style: italic; }
        .settings th { text-align: left; font-weight: 600; padding-right: 24px; vertical-align: top; }
        .settings th, .settings td { border-bottom: 1px solid var(--line); }
        .settings td { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; word-break: break-all; }
        .legend { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 13px; }
        .key { display: inline-block; width: 14px; height: 14px; border-radius: 3px; margin-right: 6px; vertical-align: -2px; }
        svg.chart { max-width: 100%; height: auto; display: block; }
        svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
        svg .tick { font-size: 12px; fill: var(--muted); }
        svg .axis-title { font-size: 13px; fill: var(--ink); }
        svg .bar-label { font-size: 11px; fill: var(--ink); }
        svg .note-text { font-size: 12px; fill: #D55E00; }
        svg .segment-label { font-size: 12px; font-weight: 600; }
        svg .grid { stroke: #e8ebef; stroke-width: 1; }
        svg .axis { stroke: #8a94a0; stroke-width: 1; }
        svg .boundary { stroke: #8a94a0; stroke-width: 1; stroke-dasharray: 4 4; }
        svg .loss-line { stroke-width: 1.6; stroke-linejoin: round; }
        svg .first-token-line { stroke-width: 1; stroke-linejoin: round; opacity: 0.75; }
        .small-multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px 24px; align-items: start; }
        figure.mask-task { margin: 0; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; }
        figure.mask-task figcaption { font-weight: 600; margin-bottom: 4px; }
        .means .key { width: 10px; height: 10px; margin-right: 4px; }
        footer { margin-top: 48px; font-size: 12px; color: var(--muted); }
        @media print { body { padding: 0; } h2 { break-after: avoid; } figure, svg { break-inside: avoid; } }
        """;
}
