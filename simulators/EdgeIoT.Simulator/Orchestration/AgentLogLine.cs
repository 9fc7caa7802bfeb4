using System.Text.Json;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// One line of the edge agent's JSON console log (<c>Logging:Console:FormatterName=json</c>),
/// read for the three messages a lane acts on: a decision, an annulled admit and an unreadable
/// camera frame. The message templates are matched, not the rendered text, so the values come
/// from the log's structured state.
/// </summary>
public sealed record AgentLogLine
{
    private const string DecisionTemplate = "Decision {Outcome} ";
    private const string AnnulledTemplate = "Admit {EventId} of entitlement {EntitlementId} annulled";
    private const string UnreadableTemplate = "Camera {Camera} frame unreadable";

    /// <summary>The decision on this line, or null for another message.</summary>
    public LaneDecision? Decision { get; private init; }

    /// <summary>Sequence number from the decision's event id (<c>{deviceId}:{seq}</c>), or null.</summary>
    public long? Seq { get; private init; }

    public bool IsAnnulled { get; private init; }

    public bool IsUnreadableFrame { get; private init; }

    /// <summary>Parses <paramref name="line"/>; returns null for plain text or a message the lane ignores.</summary>
    public static AgentLogLine? TryParse(string line)
    {
        if (string.IsNullOrEmpty(line) || line[0] != '{')
        {
            return null;
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(line);
            if (!json.RootElement.TryGetProperty("State", out JsonElement state)
                || !state.TryGetProperty("{OriginalFormat}", out JsonElement format))
            {
                return null;
            }

            string template = format.GetString() ?? "";
            if (template.StartsWith(DecisionTemplate, StringComparison.Ordinal))
            {
                return FromDecision(state);
            }

            if (template.StartsWith(AnnulledTemplate, StringComparison.Ordinal))
            {
                return new AgentLogLine { IsAnnulled = true };
            }

            return template.StartsWith(UnreadableTemplate, StringComparison.Ordinal)
                ? new AgentLogLine { IsUnreadableFrame = true }
                : null;
        }
        catch (JsonException)
        {
            // A line that only starts like JSON, such as a .NET host message; the lane ignores it.
            return null;
        }
    }

    private static AgentLogLine FromDecision(JsonElement state)
    {
        string? policy = Text(state, "PolicyVersion");
        var decision = new LaneDecision(
            Admitted: Text(state, "Outcome") == "admit",
            Reason: Text(state, "Reason") ?? "unknown",
            Mode: Text(state, "Mode") ?? "unknown",
            PolicyVersion: policy is null or "none" ? null : policy,
            Latency: TimeSpan.FromMicroseconds(Number(state, "LatencyMicros")));
        return new AgentLogLine { Decision = decision, Seq = SeqOf(Text(state, "EventId")) };
    }

    private static long? SeqOf(string? eventId)
    {
        int colon = eventId?.LastIndexOf(':') ?? -1;
        return colon >= 0 && long.TryParse(eventId.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out long seq)
            ? seq
            : null;
    }

    private static string? Text(JsonElement state, string name) =>
        state.TryGetProperty(name, out JsonElement value) ? value.ToString() : null;

    private static long Number(JsonElement state, string name) =>
        state.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number)
            ? number
            : long.TryParse(Text(state, name), System.Globalization.CultureInfo.InvariantCulture, out long parsed) ? parsed : 0;
}
