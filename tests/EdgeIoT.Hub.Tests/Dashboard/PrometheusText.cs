using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeIoT.Hub.Tests.Dashboard;

/// <summary>One sample line of the Prometheus text exposition format: name, labels and value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    private static readonly Regex Line = new(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)", RegexOptions.Compiled);
    private static readonly Regex Label = new("(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.Compiled);

    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            Match match = Line.Match(line);
            Assert.True(match.Success, $"Not a Prometheus sample line: {line}");
            var labels = Label.Matches(match.Groups["labels"].Value)
                .ToDictionary(label => label.Groups["key"].Value, label => label.Groups["value"].Value);
            string value = match.Groups["value"].Value;
            samples.Add(new PrometheusSample(
                match.Groups["name"].Value,
                labels,
                value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    public bool Has(params (string Key, string Value)[] labels) =>
        labels.All(label => Labels.TryGetValue(label.Key, out string? value) && value == label.Value);
}
