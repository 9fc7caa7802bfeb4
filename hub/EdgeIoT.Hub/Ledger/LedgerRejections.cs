using System.Text.Json;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Ledger;

/// <summary>
/// Reads the "rejected" array of a ledger batch response: [{"index", "eventId", "field", "message"}],
/// where index is the position of the invalid event in the batch.
/// </summary>
internal static class LedgerRejections
{
    public static IReadOnlyList<(QueuedEvent Event, string Error)> Parse(string body, IReadOnlyList<QueuedEvent> batch)
    {
        var rejected = new List<(QueuedEvent, string)>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("rejected", out JsonElement items)
                || items.ValueKind != JsonValueKind.Array)
            {
                return rejected;
            }

            foreach (JsonElement item in items.EnumerateArray())
            {
                if (item.TryGetProperty("index", out JsonElement index)
                    && index.TryGetInt32(out int position)
                    && position >= 0 && position < batch.Count)
                {
                    rejected.Add((batch[position], $"{Text(item, "field")}: {Text(item, "message")}"));
                }
            }
        }
        catch (JsonException)
        {
            // A response that is not JSON lists no rejections, so the status code alone decides.
        }

        return rejected;
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "?";
}
