namespace EdgeIoT.Simulator.Scenarios;

/// <summary>A scenario file that cannot be read or contains an invalid value; the message names the field and value.</summary>
public sealed class ScenarioException(string message, Exception? inner = null) : Exception(message, inner);
