using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Tests;

/// <summary>Reads the hub's SQLite file directly through a connection of its own, as an operator would.</summary>
internal static class HubDatabaseProbe
{
    public static long CountEvents(HubHarness hub, string? eventId = null)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(hub.DataDirectory, "hub.db")};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = eventId is null
            ? "SELECT COUNT(*) FROM events;"
            : "SELECT COUNT(*) FROM events WHERE event_id = $id;";
        command.Parameters.AddWithValue("$id", eventId ?? string.Empty);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Returns the stored wire JSON of an event, which the hub pushes to the ledger as is.</summary>
    public static EdgeIoT.Protocol.Messaging.EdgeEvent StoredEvent(HubHarness hub, string eventId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(hub.DataDirectory, "hub.db")};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM events WHERE event_id = $id;";
        command.Parameters.AddWithValue("$id", eventId);
        string json = (string)command.ExecuteScalar()!;
        return EdgeIoT.Protocol.Messaging.ProtocolJson.Deserialize<EdgeIoT.Protocol.Messaging.EdgeEvent>(
            System.Text.Encoding.UTF8.GetBytes(json));
    }

    public static long? HubReceivedMs(HubHarness hub, string eventId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(hub.DataDirectory, "hub.db")};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT hub_received_ms FROM events WHERE event_id = $id;";
        command.Parameters.AddWithValue("$id", eventId);
        return command.ExecuteScalar() as long?;
    }
}
