using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeIoT.Hub.Reporting;

/// <summary>Draws a bar chart as inline SVG, so the report needs no script or external file.</summary>
public static class SvgBarChart
{
    private const int Width = 720;
    private const int Height = 200;
    private const int Pad = 28;

    /// <summary>Renders one bar per label; every <paramref name="labelEvery"/>th label is printed under its bar.</summary>
    public static string Render(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string color, int labelEvery = 1)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelEvery, 1);

        double max = Math.Max(1, values.DefaultIfEmpty(0).Max());
        double barWidth = (Width - (2.0 * Pad)) / Math.Max(1, values.Count);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Encode(title)}\">"));
        svg.Append(Invariant($"<text x=\"{Pad}\" y=\"14\" font-size=\"12\">{Encode(title)} (max {max:0.##})</text>"));
        for (int i = 0; i < values.Count; i++)
        {
            double barHeight = values[i] / max * (Height - (2.0 * Pad) - 8);
            double x = Pad + (i * barWidth);
            svg.Append(Invariant(
                $"<rect x=\"{x:0.#}\" y=\"{Height - Pad - barHeight:0.#}\" width=\"{barWidth * 0.85:0.#}\" height=\"{barHeight:0.#}\" fill=\"{color}\">"));
            svg.Append(Invariant($"<title>{Encode(labels[i])}: {values[i]:0.##}</title></rect>"));
            if (i % labelEvery == 0)
            {
                svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{Height - 10}\" font-size=\"10\">{Encode(labels[i])}</text>"));
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
