using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeIoT.Simulator.Scenarios;

/// <summary>Applies a scenario's "short" section over its full form.</summary>
public static partial class JsonMerge
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

    /// <summary>
    /// True when <paramref name="overrides"/> sets the value at <paramref name="field"/> (a path
    /// such as <c>crowd.rush.multiplier</c> or <c>faults[1].at</c>), itself or by replacing an
    /// array or value that contains it.
    /// </summary>
    public static bool Sets(JsonObject overrides, string field)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(field);

        JsonObject current = overrides;
        foreach (Match part in FieldName().Matches(field))
        {
            if (!current.TryGetPropertyValue(part.Value, out JsonNode? value))
            {
                return false;
            }

            if (value is not JsonObject inner)
            {
                return true;
            }

            current = inner;
        }

        return true;
    }

    // The names in a field path. An index can only follow an array, which the short section
    // replaces whole.
    [GeneratedRegex(@"[^.\[\]]+(?=\.|\[|$)")]
    private static partial Regex FieldName();
}
