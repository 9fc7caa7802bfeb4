using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace EdgeIoT.Simulator.Scenarios;

/// <summary>
/// Turns a System.Text.Json error about a scenario's shape into one line that names the field,
/// its value and what to use, in the form the range checks use: <c>seed "abc" is invalid: use a
/// whole number up to 2147483647, without a fraction or exponent.</c> The serializer's own messages name .NET types, or are cut off for nulls.
/// </summary>
internal static partial class ScenarioJsonErrors
{
    // Fields whose allowed values the declared type does not show. In the keys, [] stands for any index.
    private static readonly Dictionary<string, string> Advice = new(StringComparer.Ordinal)
    {
        ["name"] = "give the scenario a name, such as \"friday-doors\"",
        ["venue.hub.host"] = "use simulator or process",
        ["venue.lanes[].kind"] = "use agent or esp32",
        ["venue.lanes[].scanner"] = "use camera, serial or hid",
        ["venue.lanes[].host"] = "use simulator or process",
        ["venue.lanes[].layout"] = "use us or de",
        ["faults[].kind"] = "use " + string.Join(", ", FaultKinds.Names),
    };

    /// <summary>
    /// Describes <paramref name="error"/>, raised while reading <paramref name="root"/> as
    /// <see cref="ScenarioDocument"/>. <paramref name="prefix"/> goes before the field path
    /// ("short." when the error lies in the short section).
    /// </summary>
    public static string Describe(JsonException error, JsonObject root, JsonSerializerOptions options, string prefix)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(root);

        string message = error.Message;
        bool split = TrySplit(error.Path ?? "$", out List<object> segments);

        Match missing = MissingMember().Match(message);
        if (split && missing.Success)
        {
            List<object> path = [.. segments, missing.Groups[1].Value];
            return $"{Display(prefix, path)} is missing: {AdviceFor(path, options)}.";
        }

        if (!split || segments.Count == 0)
        {
            // Only a field has a value to name. An error at the root or at a path that cannot
            // be split still names where the reader stopped.
            string where = prefix.Length == 0 ? "the top level" : prefix.TrimEnd('.');
            return $"{where} is invalid at JSON path {error.Path ?? "$"}: it does not match scenarios/schema.json.";
        }

        // The path of an unknown field ends with the field's name, which may be any text.
        if (UnknownMember().IsMatch(message))
        {
            string parent = Display(prefix, segments[..^1]).TrimEnd('.');
            string where = parent.Length == 0 ? "the top level" : parent;
            return $"{where} has an unknown field \"{segments[^1]}\" (scenarios/schema.json lists the fields).";
        }

        JsonNode? value = Find(root, segments, out bool found);
        string valueText = found ? ValueText(value) : "(unreadable)";
        return $"{Display(prefix, segments)} {valueText} is invalid: {AdviceFor(segments, options)}.";
    }

    private static string AdviceFor(List<object> segments, JsonSerializerOptions options)
    {
        string key = string.Concat(segments.Select((s, i) => s is int ? "[]" : (i == 0 ? "" : ".") + s));
        if (Advice.TryGetValue(key, out string? advice))
        {
            return advice;
        }

        Type? type = DeclaredType(segments, options);
        return "use " + (type is null ? "the kind of value scenarios/schema.json gives for this field" : Kind(type));
    }

    private static string Kind(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int))
        {
            return string.Create(CultureInfo.InvariantCulture, $"a whole number up to {int.MaxValue}, without a fraction or exponent");
        }

        if (type == typeof(double))
        {
            return "a number";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(string))
        {
            return "a string";
        }

        if (ElementType(type) is { } element)
        {
            return element == typeof(string) ? "an array of strings" : "an array of objects";
        }

        return "an object (scenarios/schema.json lists its fields)";
    }

    /// <summary>The .NET type the document declares at <paramref name="segments"/>, or null for an unknown path.</summary>
    private static Type? DeclaredType(List<object> segments, JsonSerializerOptions options)
    {
        Type type = typeof(ScenarioDocument);
        foreach (object segment in segments)
        {
            if (segment is int)
            {
                if (ElementType(type) is not { } element)
                {
                    return null;
                }

                type = element;
                continue;
            }

            JsonTypeInfo info = options.GetTypeInfo(type);
            JsonPropertyInfo? property = info.Properties.FirstOrDefault(p => p.Name == (string)segment);
            if (property is null)
            {
                return null;
            }

            type = property.PropertyType;
        }

        return type;
    }

    private static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    private static JsonNode? Find(JsonObject root, List<object> segments, out bool found)
    {
        JsonNode? node = root;
        foreach (object segment in segments)
        {
            switch (segment, node)
            {
                case (string name, JsonObject obj) when obj.TryGetPropertyValue(name, out JsonNode? child):
                    node = child;
                    break;
                case (int index, JsonArray array) when index < array.Count:
                    node = array[index];
                    break;
                default:
                    found = false;
                    return null;
            }
        }

        found = true;
        return node;
    }

    private static string ValueText(JsonNode? value)
    {
        const int MaxLength = 40;
        string text = value switch
        {
            null => "null",
            JsonObject => "{...}",
            JsonArray => "[...]",
            _ => value.ToJsonString(),
        };
        return text.Length > MaxLength ? text[..MaxLength] + "..." : text;
    }

    private static string Display(string prefix, IEnumerable<object> segments)
    {
        var text = new System.Text.StringBuilder(prefix);
        foreach (object segment in segments)
        {
            if (segment is int index)
            {
                text.Append(CultureInfo.InvariantCulture, $"[{index}]");
            }
            else
            {
                text.Append(text.Length == 0 || text[^1] == '.' ? "" : ".").Append((string)segment);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Splits a JSON path such as <c>$.venue.lanes[0]['$schema']</c> into names and indexes;
    /// false when the path has a part this method does not know.
    /// </summary>
    private static bool TrySplit(string path, out List<object> segments)
    {
        segments = [];
        int end = 1;
        foreach (Match match in PathSegment().Matches(path))
        {
            if (match.Index != end)
            {
                return false;
            }

            end = match.Index + match.Length;
            if (match.Groups["index"].Success)
            {
                segments.Add(int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture));
            }
            else if (match.Groups["name"].Success)
            {
                segments.Add(match.Groups["name"].Value);
            }
            else
            {
                segments.Add(match.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal));
            }
        }

        return path.StartsWith('$') && end == path.Length;
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();

    [GeneratedRegex(@"The JSON property '[^']*' could not be mapped")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"missing required properties including: '([^']*)'")]
    private static partial Regex MissingMember();
}
