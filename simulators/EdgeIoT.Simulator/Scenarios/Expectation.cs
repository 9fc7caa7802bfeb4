using System.Globalization;
using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Scenarios;

/// <summary>
/// An expected outcome such as "admitted >= 2800" or "disputes.double_admit &lt;= 1": a report
/// metric (<see cref="ReportMetrics"/>), a comparison and a number.
/// </summary>
public sealed record Expectation(string Metric, string Comparison, double Value)
{
    private static readonly string[] Comparisons = ["==", "!=", "<=", ">=", "<", ">"];

    /// <summary>Checks every run makes unless a scenario lists its own.</summary>
    public static IReadOnlyList<Expectation> Defaults { get; } =
    [
        Parse("lost == 0"),
        Parse("appliedTwice == 0"),
        Parse("undecided == 0"),
        Parse("forgeriesAdmitted == 0"),
        Parse("admitted >= 1"),
        Parse("p99ScanToGateMs <= 200"),
    ];

    /// <summary>The outcome as a scenario file writes it.</summary>
    public string Text => $"{Metric} {Comparison} {Value.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses "metric comparison number"; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Expectation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            throw new FormatException(
                $"Expected outcome \"{text}\" is invalid: write a metric, a comparison and a number, such as \"lost == 0\".");
        }

        if (!Comparisons.Contains(parts[1]))
        {
            throw new FormatException(
                $"Expected outcome \"{text}\" has an invalid comparison \"{parts[1]}\": use one of {string.Join(' ', Comparisons)}.");
        }

        if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new FormatException($"Expected outcome \"{text}\" has an invalid number \"{parts[2]}\".");
        }

        if (!ReportMetrics.IsKnown(parts[0]) && ReportMetrics.FamilyKeysOf(parts[0]) is { } keys)
        {
            throw new FormatException(
                $"Expected outcome \"{text}\" names an unknown key \"{parts[0]}\": use one of {string.Join(", ", keys)} after the family's dot.");
        }

        if (!ReportMetrics.IsKnown(parts[0]))
        {
            throw new FormatException(
                $"Expected outcome \"{text}\" names an unknown metric \"{parts[0]}\": use one of {ReportMetrics.Describe()}.");
        }

        return new Expectation(parts[0], parts[1], value);
    }

    public ExpectationResult Evaluate(EventReport report)
    {
        double actual = ReportMetrics.Value(report, Metric);
        bool met = Comparison switch
        {
            "==" => actual == Value,
            "!=" => actual != Value,
            "<=" => actual <= Value,
            ">=" => actual >= Value,
            "<" => actual < Value,
            _ => actual > Value,
        };
        return new ExpectationResult(Text, Metric, actual, met);
    }
}
