using System.Text.Json.Nodes;

namespace EdgeIoT.Simulator.Scenarios;

/// <summary>
/// The full form of a scenario file and, when the file has a "short" section, its short form
/// (the section merged over the full form) and the section itself.
/// </summary>
public sealed record ScenarioForms(ScenarioDocument Full, ScenarioDocument? Shortened, JsonObject? ShortSection);
