namespace EdgeIoT.Simulator.Scenarios;

/// <summary>A scenario file that cannot be read or contains an invalid value; the message names the field and value.</summary>
public sealed class ScenarioException(string message, Exception? inner = null, string? field = null) : Exception(message, inner)
{
    /// <summary>Path of the invalid field, such as <c>crowd.rush.multiplier</c>, when one field is at fault.</summary>
    public string? Field { get; } = field;
}
