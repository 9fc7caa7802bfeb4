using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>Decision events as a lane publishes them, and the database check that one was stored.</summary>
internal static class EventPublisher
{
    public static EdgeEvent Decision(string deviceId, long seq) => new()
    {
        EventId = $"{deviceId}:{seq}",
        DeviceId = deviceId,
        DeviceClass = "agent",
        BootId = "boot-1",
        Seq = seq,
        Kind = EventKinds.Decision,
        DeviceTimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Outcome = "admit",
        Reason = "none",
        Mode = "offline",
    };

    public static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string venue, EdgeEvent edgeEvent) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Event(venue, edgeEvent.DeviceId, edgeEvent.Kind))
            .WithPayload(ProtocolJson.Serialize(edgeEvent))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

    /// <summary>
    /// Waits until the hub has stored every event in <paramref name="eventIds"/>. With an external
    /// broker the device's PUBACK comes from the broker, before the hub stores the event.
    /// </summary>
    public static async Task WaitForStoredAsync(HubProcess hub, IReadOnlyCollection<string> eventIds)
    {
        using var cancellation = new CancellationTokenSource(HubProcess.Timeout);
        while (CountStored(hub.DatabasePath, eventIds) < eventIds.Count)
        {
            if (cancellation.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The hub did not store events {string.Join(", ", eventIds)} within {HubProcess.Timeout.TotalSeconds} s:\n{hub.RecentOutput()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    /// <summary>Counts stored events with these ids by reading the hub's SQLite file directly.</summary>
    public static long CountStored(string databasePath, IEnumerable<string> eventIds)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
        string[] ids = eventIds.ToArray();
        command.CommandText = $"SELECT COUNT(*) FROM events WHERE event_id IN ({string.Join(',', ids.Select((_, i) => "$p" + i))});";
        for (int i = 0; i < ids.Length; i++)
        {
            command.Parameters.AddWithValue("$p" + i, ids[i]);
        }

        return (long)command.ExecuteScalar()!;
    }
}
