using System.Text.Json.Nodes;

namespace EdgeIoT.Simulator.Scenarios;

/// <summary>Applies a scenario's "short" section over its full form.</summary>
public static class JsonMerge
{
    /// <summary>
    /// Copies every member of <paramref name="overrides"/> into <paramref name="target"/>:
    /// objects merge member by member, arrays and values replace what was there.
    /// </summary>
    public static void Apply(JsonObject target, JsonObject overrides)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(overrides);

        foreach ((string name, JsonNode? value) in overrides.ToList())
        {
            if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Apply(existing, inner);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}
