using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeIoT.Simulator.Reporting;

/// <summary>Inline SVG charts of the HTML report: no script and no external file, so the page works offline.</summary>
public static class SvgCharts
{
    private const int ChartWidth = 720;
    private const int ChartHeight = 180;

    /// <summary>
    /// Draws one row per device offline period and per fault on the run's time axis, so a
    /// reader sees which lanes were cut off while which fault was active.
    /// </summary>
    public static string PeriodChart(EventReport report)
    {
        var rows = new List<(string Label, string Color, double Start, double End)>();
        rows.AddRange(report.Faults.Select(f => ($"{f.Kind} {f.Target ?? "hub"}", "#c80", f.StartSecond, f.EndSecond)));
        rows.AddRange(report.OfflinePeriods.Select(p => ($"{p.DeviceId} offline", "#c33", p.StartSecond, p.EndSecond)));
        const int Left = 190;
        const int RowHeight = 16;
        double xMax = Math.Max(1, rows.Max(r => r.End));
        xMax = Math.Max(xMax, report.Timeline.Count);
        double scale = (ChartWidth - Left - 10) / xMax;
        var svg = new StringBuilder(Invariant($"<svg viewBox=\"0 0 {ChartWidth} {(rows.Count * RowHeight) + 20}\" role=\"img\">"));
        for (int i = 0; i < rows.Count; i++)
        {
            (string label, string color, double start, double end) = rows[i];
            double y = 4 + (i * RowHeight);
            svg.Append(Invariant($"<text x=\"2\" y=\"{y + 10:F0}\" font-size=\"10\">{Encode(label)}</text>"))
                .Append(Invariant($"<rect x=\"{Left + (start * scale):F1}\" y=\"{y:F0}\" width=\"{Math.Max(2, (end - start) * scale):F1}\""))
                .Append(Invariant($" height=\"{RowHeight - 4}\" fill=\"{color}\"><title>{start:F1} s to {end:F1} s</title></rect>"));
        }

        svg.Append(Invariant($"<text x=\"{ChartWidth - 40}\" y=\"{(rows.Count * RowHeight) + 16}\" font-size=\"10\">{xMax:F0} s</text>"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Draws a count per key as horizontal bars, such as disputes per kind.</summary>
    public static string CountBars(IReadOnlyDictionary<string, int> counts)
    {
        if (counts.Count == 0)
        {
            return "";
        }

        const int Left = 160;
        const int RowHeight = 16;
        double max = Math.Max(1, counts.Values.Max());
        var svg = new StringBuilder(Invariant($"<svg viewBox=\"0 0 {ChartWidth} {(counts.Count * RowHeight) + 8}\" role=\"img\">"));
        int y = 4;
        foreach ((string key, int count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            double width = Math.Max(2, count / max * (ChartWidth - Left - 60));
            svg.Append(Invariant($"<text x=\"2\" y=\"{y + 10}\" font-size=\"10\">{Encode(key)}</text>"))
                .Append(Invariant($"<rect x=\"{Left}\" y=\"{y}\" width=\"{width:F1}\" height=\"{RowHeight - 4}\" fill=\"#c33\"/>"))
                .Append(Invariant($"<text x=\"{Left + width + 4:F1}\" y=\"{y + 10}\" font-size=\"10\">{count}</text>"));
            y += RowHeight;
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Draws p50, p95, p99 and max per device class as horizontal bars on one millisecond scale.</summary>
    public static string PercentileBars(IReadOnlyDictionary<string, LatencySummary> latency)
    {
        if (latency.Count == 0)
        {
            return "<p>no decisions</p>";
        }

        (string Name, string Color, Func<LatencySummary, double> Value)[] bars =
        [
            ("p50", "#2a7", l => l.P50Ms), ("p95", "#37c", l => l.P95Ms), ("p99", "#c80", l => l.P99Ms), ("max", "#c33", l => l.MaxMs),
        ];
        const int Left = 80;
        const int BarHeight = 12;
        double max = Math.Max(1, latency.Values.Max(l => l.MaxMs));
        int height = (latency.Count * ((bars.Length * BarHeight) + 14)) + 10;
        var svg = new StringBuilder(Invariant($"<svg viewBox=\"0 0 {ChartWidth} {height}\" role=\"img\">"));
        int y = 5;
        foreach ((string deviceClass, LatencySummary summary) in latency)
        {
            svg.Append(Invariant($"<text x=\"2\" y=\"{y + 22}\" font-size=\"11\">{Encode(deviceClass)}</text>"));
            foreach ((string name, string color, Func<LatencySummary, double> value) in bars)
            {
                double ms = value(summary);
                double width = Math.Max(1, ms / max * (ChartWidth - Left - 90));
                svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{y}\" width=\"{width:F1}\" height=\"{BarHeight - 2}\" fill=\"{color}\"/>"))
                    .Append(Invariant($"<text x=\"{Left + width + 4:F1}\" y=\"{y + 9}\" font-size=\"10\">{name} {ms:F1} ms</text>"));
                y += BarHeight;
            }

            y += 14;
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Draws series against x with shaded outage bands and a legend.</summary>
    public static string LineChart(
        double[] x, (string Name, string Color, double[] Values)[] series, (double Start, double End)[] bands)
    {
        if (x.Length < 2)
        {
            return "<p>not enough samples for a chart</p>";
        }

        double xMax = Math.Max(1, x.Max());
        double yMax = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        const int Left = 40;
        const int Bottom = 20;
        double plotWidth = ChartWidth - Left - 10;
        double plotHeight = ChartHeight - Bottom - 10;
        double ToX(double value) => Left + (value / xMax * plotWidth);
        double ToY(double value) => 10 + plotHeight - (value / yMax * plotHeight);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg viewBox=\"0 0 {ChartWidth} {ChartHeight + 16}\" role=\"img\">"));
        foreach ((double start, double end) in bands)
        {
            svg.Append(Invariant($"<rect x=\"{ToX(start):F1}\" y=\"10\" width=\"{Math.Max(1, ToX(end) - ToX(start)):F1}\""))
                .Append(Invariant($" height=\"{plotHeight:F1}\" fill=\"#fdd\"><title>outage or power cut</title></rect>"));
        }

        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{10 + plotHeight}\" x2=\"{ChartWidth - 10}\" y2=\"{10 + plotHeight}\" stroke=\"#888\"/>"));
        svg.Append(Invariant($"<text x=\"2\" y=\"16\" font-size=\"10\">{yMax:F0}</text>"));
        svg.Append(Invariant($"<text x=\"{ChartWidth - 40}\" y=\"{ChartHeight}\" font-size=\"10\">{xMax:F0} s</text>"));
        int legendX = Left;
        foreach ((string name, string color, double[] values) in series)
        {
            var points = new StringBuilder();
            for (int i = 0; i < Math.Min(x.Length, values.Length); i++)
            {
                points.Append(Invariant($"{ToX(x[i]):F1},{ToY(values[i]):F1} "));
            }

            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{points}\"/>"));
            svg.Append(Invariant($"<text x=\"{legendX}\" y=\"{ChartHeight + 12}\" font-size=\"11\" fill=\"{color}\">{Encode(name)}</text>"));
            legendX += 90;
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
