using System.Text.Json;
using EdgeIoT.Ledger.Storage;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Ledger.Api;

/// <summary>
/// Checks one event of a batch before it is parsed, so that a bad event is reported by field
/// instead of failing the whole batch.
/// </summary>
internal static class EventValidator
{
    public const int MaxIdLength = 128;
    public const int MaxKindLength = 32;
    public const int MaxShortTextLength = 128;
    public const int MaxDetailLength = 2048;

    private static readonly (string Name, int MaxLength)[] RequiredStrings =
    [
        ("eventId", MaxIdLength),
        ("deviceId", MaxIdLength),
        ("kind", MaxKindLength),
        ("deviceClass", MaxShortTextLength),
        ("bootId", MaxShortTextLength),
    ];

    private static readonly (string Name, int MaxLength)[] OptionalStrings =
    [
        ("outcome", MaxShortTextLength),
        ("reason", MaxShortTextLength),
        ("mode", MaxShortTextLength),
        ("policyVersion", MaxShortTextLength),
        ("policyRule", MaxShortTextLength),
        ("tokenId", MaxShortTextLength),
        ("role", MaxShortTextLength),
        ("currency", MaxShortTextLength),
        ("nonce", MaxShortTextLength),
        ("detail", MaxDetailLength),
    ];

    /// <summary>Returns the row of a valid event, or null with <paramref name="rejected"/> set.</summary>
    public static LedgerEventRow? Validate(JsonElement element, int index, out RejectedEvent? rejected)
    {
        rejected = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            rejected = new RejectedEvent(index, null, "event", $"event is a JSON {element.ValueKind}, expected an object");
            return null;
        }

        string? eventId = ReadEventId(element);
        string? problem = FindProblem(element, out string field) ?? FindNulCharacter(element, out field);
        if (problem is not null)
        {
            rejected = new RejectedEvent(index, eventId, field, problem);
            return null;
        }

        try
        {
            var edgeEvent = element.Deserialize(ProtocolJson.Default.EdgeEvent)!;
            return LedgerEventRow.From(edgeEvent, element.GetRawText());
        }
        catch (JsonException ex)
        {
            string path = string.IsNullOrEmpty(ex.Path) ? "event" : ex.Path.TrimStart('$', '.');
            rejected = new RejectedEvent(index, eventId, path, "event is not a valid EdgeEvent: " + ex.Message);
            return null;
        }
    }

    private static string? ReadEventId(JsonElement element) =>
        element.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private static string? FindProblem(JsonElement element, out string field)
    {
        foreach (var (name, maxLength) in RequiredStrings)
        {
            field = name;
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return $"{name} is missing";
            }

            string? problem = CheckString(value, name, maxLength, required: true);
            if (problem is not null)
            {
                return problem;
            }
        }

        foreach (var (name, maxLength) in OptionalStrings)
        {
            field = name;
            if (element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                string? problem = CheckString(value, name, maxLength, required: false);
                if (problem is not null)
                {
                    return problem;
                }
            }
        }

        field = "seq";
        string? seqProblem = CheckNonNegativeInteger(element, "seq");
        if (seqProblem is not null)
        {
            return seqProblem;
        }

        field = "deviceTimeMs";
        return CheckNonNegativeInteger(element, "deviceTimeMs");
    }

    // PostgreSQL text and jsonb cannot store U+0000, so such an event would fail its whole batch
    // on every retry. It is rejected on every store, so both stores accept the same events.
    private static string? FindNulCharacter(JsonElement element, out string field)
    {
        foreach (var property in element.EnumerateObject())
        {
            field = property.Name;
            if (property.Name.Contains('\0', StringComparison.Ordinal) || ContainsNul(property.Value))
            {
                return $"{property.Name} contains the character U+0000, which the ledger cannot store";
            }
        }

        field = string.Empty;
        return null;
    }

    private static bool ContainsNul(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.Contains('\0', StringComparison.Ordinal),
        JsonValueKind.Object => value.EnumerateObject()
            .Any(p => p.Name.Contains('\0', StringComparison.Ordinal) || ContainsNul(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().Any(ContainsNul),
        _ => false,
    };

    private static string? CheckString(JsonElement value, string name, int maxLength, bool required)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return $"{name} is a JSON {value.ValueKind}, expected a string";
        }

        string text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            return $"{name} is empty";
        }

        return text.Length > maxLength
            ? $"{name} has {text.Length} characters, the maximum is {maxLength}"
            : null;
    }

    private static string? CheckNonNegativeInteger(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return $"{name} is missing";
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
        {
            return $"{name} is {value.GetRawText()}, expected a whole number";
        }

        return number < 0 ? $"{name} is {number}, expected 0 or more" : null;
    }
}
