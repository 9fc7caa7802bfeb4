using System.Text.Json;
using EdgeIoT.Ledger.Storage;

namespace EdgeIoT.Ledger.Api;

/// <summary>Parses and validates the body of POST /v1/batches.</summary>
internal static class BatchRequestReader
{
    public const int MaxHubIdLength = 128;

    /// <summary>
    /// Reads a batch into its valid rows and per-event rejections. When the request as a whole
    /// is unusable, the result carries only an error status and message.
    /// </summary>
    public static BatchReadResult Read(ReadOnlyMemory<byte> body, int maxEvents)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return BatchReadResult.Fail(StatusCodes.Status400BadRequest, "request body is not valid JSON: " + ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return BatchReadResult.Fail(
                    StatusCodes.Status400BadRequest, $"request body is a JSON {root.ValueKind}, expected an object");
            }

            string? hubProblem = ReadHubId(root, out string hubId);
            if (hubProblem is not null)
            {
                return BatchReadResult.Fail(StatusCodes.Status400BadRequest, hubProblem);
            }

            if (!root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                return BatchReadResult.Fail(StatusCodes.Status400BadRequest, "events is missing or not a JSON array");
            }

            int count = events.GetArrayLength();
            if (count > maxEvents)
            {
                return BatchReadResult.Fail(
                    StatusCodes.Status413PayloadTooLarge,
                    $"batch has {count} events, the maximum is {maxEvents}; split it into smaller batches");
            }

            return ReadEvents(hubId, events);
        }
    }

    private static BatchReadResult ReadEvents(string hubId, JsonElement events)
    {
        var rows = new List<LedgerEventRow>();
        var rejected = new List<RejectedEvent>();
        int index = 0;
        foreach (var element in events.EnumerateArray())
        {
            var row = EventValidator.Validate(element, index, out var rejection);
            if (row is not null)
            {
                rows.Add(row);
            }
            else
            {
                rejected.Add(rejection!);
            }

            index++;
        }

        return new BatchReadResult(hubId, rows, rejected, 0, null);
    }

    private static string? ReadHubId(JsonElement root, out string hubId)
    {
        hubId = string.Empty;
        if (!root.TryGetProperty("hubId", out var value) || value.ValueKind != JsonValueKind.String)
        {
            return "hubId is missing or not a string";
        }

        hubId = value.GetString()!;
        if (string.IsNullOrWhiteSpace(hubId))
        {
            return "hubId is empty";
        }

        if (hubId.Contains('\0', StringComparison.Ordinal))
        {
            return "hubId contains the character U+0000, which the ledger cannot store";
        }

        return hubId.Length > MaxHubIdLength
            ? $"hubId has {hubId.Length} characters, the maximum is {MaxHubIdLength}"
            : null;
    }
}
