namespace EdgeIoT.Simulator.Reporting;

/// <summary>One expected outcome after the run: the outcome as written, the measured value, and whether it held.</summary>
public sealed record ExpectationResult(string Outcome, string Metric, double Actual, bool Met)
{
    /// <summary>The failure sentence the console, the report and the exit message use.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string FailureMessage =>
        $"Expected outcome \"{Outcome}\" not met: {Metric} was {Actual.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}.";
}
