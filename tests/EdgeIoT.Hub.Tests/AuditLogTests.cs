using System.Net.Http.Json;
using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Tests;

public sealed class AuditLogTests
{
    [Fact]
    public async Task AuditLog_HubActivity_ChainsEveryKind()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.PolicyFile = null);
        await hub.ImportAsync(TestData.Guests("PX-1,A One,a@example.test,General Admission,standard,paid,,0"));
        HttpResponseMessage checkin = await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-1" });
        string token = (await checkin.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");
        await gate.CheckAsync(token);
        IMqttClient device = await hub.ConnectDeviceAsync("lane-1");
        await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Event(hub.Options.Venue, "lane-1", EventKinds.Decision))
            .WithPayload(ProtocolJson.Serialize(TestData.Event("lane-1", 1)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        IReadOnlyList<AuditItem> entries = await WaitForEntriesAsync(hub, entry => entry.Actor == "lane-1");
        AuditVerification verification = (await hub.Http.GetFromJsonAsync<AuditVerification>("/api/audit/verify"))!;

        Assert.True(verification.Valid, verification.Detail);
        Assert.Equal(entries.Count, verification.EntriesChecked);
        Assert.Contains(entries, entry => entry.Kind == AuditKinds.KeyChange);
        Assert.Contains(entries, entry => entry.Kind == AuditKinds.Snapshot);
        Assert.Contains(entries, entry => entry.Kind == AuditKinds.Issuance && entry.Payload.Contains("\"entitlementId\":1"));
        Assert.Contains(entries, entry => entry.Kind == AuditKinds.Decision && entry.Actor == AuditActors.Hub);
        Assert.Contains(entries, entry => entry.Kind == AuditKinds.Decision && entry.Actor == "lane-1");
        Assert.Contains(entries, entry => entry.Kind == AuditKinds.Enrollment && entry.Payload.Contains("gate-1"));
        Assert.DoesNotContain(entries, entry => entry.Payload.Contains(token[4..20], StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task AuditVerify_PayloadAltered_NamesThatEntry()
    {
        string database = await CreateChainAsync();

        Execute(database, "UPDATE audit SET payload = '{\"change\":\"forged\"}' WHERE seq = 3;");
        AuditVerification result = Verify(database);

        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstBadSeq);
        Assert.Equal(AuditVerifier.Altered, result.Problem);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task AuditVerify_EntryRewritten_NamesEntry()
    {
        string database = await CreateChainAsync();
        AuditEntry original = ReadEntry(database, 2);
        byte[] forgedHash = AuditChain.ComputeHash(
            original.PreviousHash, 2, original.TimeMs, original.Kind, "someone-else", original.Payload);

        using (SqliteConnection connection = Open(database))
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE audit SET actor = 'someone-else', hash = $hash WHERE seq = 2;";
            command.Parameters.AddWithValue("$hash", forgedHash);
            command.ExecuteNonQuery();
        }

        AuditVerification result = Verify(database);

        Assert.False(result.Valid);
        Assert.Equal(2, result.FirstBadSeq);
        Assert.Equal(AuditVerifier.Altered, result.Problem);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task AuditVerify_MiddleEntryDeleted_NamesRemovedEntry()
    {
        string database = await CreateChainAsync();

        Execute(database, "DELETE FROM audit WHERE seq = 4;");
        AuditVerification result = Verify(database);

        Assert.False(result.Valid);
        Assert.Equal(4, result.FirstBadSeq);
        Assert.Equal(AuditVerifier.Removed, result.Problem);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task AuditVerify_FirstEntryDeleted_NamesEntryOne()
    {
        string database = await CreateChainAsync();

        Execute(database, "DELETE FROM audit WHERE seq = 1;");
        AuditVerification result = Verify(database);

        Assert.Equal(1, result.FirstBadSeq);
        Assert.Equal(AuditVerifier.Removed, result.Problem);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task AuditVerify_LastEntriesDeleted_NamesFirstRemoved()
    {
        string database = await CreateChainAsync();
        long last = ReadHeadSeq(database);

        Execute(database, $"DELETE FROM audit WHERE seq >= {last - 1};");
        AuditVerification result = Verify(database);

        Assert.False(result.Valid);
        Assert.Equal(last - 1, result.FirstBadSeq);
        Assert.Equal(AuditVerifier.Removed, result.Problem);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task AuditVerify_RowsReordered_NamesFirstMovedEntry()
    {
        string database = await CreateChainAsync();

        // Swap entries 2 and 3 by renumbering them through a free sequence number.
        Execute(database, """
            UPDATE audit SET seq = -1 WHERE seq = 2;
            UPDATE audit SET seq = 2 WHERE seq = 3;
            UPDATE audit SET seq = 3 WHERE seq = -1;
            """);
        AuditVerification result = Verify(database);

        Assert.False(result.Valid);
        Assert.Equal(2, result.FirstBadSeq);
        Assert.Equal(AuditVerifier.Altered, result.Problem);
    }

    [Fact]
    public async Task AuditVerify_Untouched_CountsEveryEntry()
    {
        string database = await CreateChainAsync();

        AuditVerification result = Verify(database);

        Assert.True(result.Valid, result.Detail);
        Assert.Equal(ReadHeadSeq(database), result.EntriesChecked);
        Assert.Null(result.FirstBadSeq);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task AuditVerifyRoute_RowDeleted_ReportsRemoval()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests("PX-1,A One,a@example.test,General Admission,standard,paid,,0"));
        await WaitForEntriesAsync(hub, entry => entry.Kind == AuditKinds.Snapshot);

        Execute(Path.Combine(hub.DataDirectory, "hub.db"), "DELETE FROM audit WHERE seq = 2;");
        AuditVerification result = (await hub.Http.GetFromJsonAsync<AuditVerification>("/api/audit/verify"))!;

        Assert.False(result.Valid);
        Assert.Equal(2, result.FirstBadSeq);
        Assert.Contains("entry 2 was removed", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditLog_HeadDeleted_EventsStillStored()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient device = await hub.ConnectDeviceAsync("lane-1");
        await WaitForEntriesAsync(hub, entry => entry.Kind == AuditKinds.Enrollment);
        Execute(Path.Combine(hub.DataDirectory, "hub.db"), "DELETE FROM audit_head;");

        MqttClientPublishResult result = await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Event(hub.Options.Venue, "lane-1", EventKinds.Decision))
            .WithPayload(ProtocolJson.Serialize(TestData.Event("lane-1", 1)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        Assert.True(result.IsSuccess, result.ReasonCode.ToString());
        Assert.Equal(1, HubDatabaseProbe.CountEvents(hub, "lane-1:1"));
    }

    private static async Task<IReadOnlyList<AuditItem>> WaitForEntriesAsync(HubHarness hub, Func<AuditItem, bool> until)
    {
        using var timeout = new CancellationTokenSource(HubHarness.Timeout);
        while (true)
        {
            List<AuditItem> entries = (await hub.Http.GetFromJsonAsync<List<AuditItem>>("/api/audit?limit=1000", timeout.Token))!;
            if (entries.Any(until))
            {
                return entries;
            }

            // The audit writer commits in groups off the request path; poll until the entry lands.
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Runs a hub that writes a chain with several entries, stops it and returns its database path.</summary>
    private static async Task<string> CreateChainAsync()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        hub.KeepData = true;
        await hub.ImportAsync(TestData.Guests(
            "PX-1,A One,a@example.test,General Admission,standard,paid,,0",
            "PX-2,B Two,b@example.test,General Admission,standard,paid,,0"));
        await hub.EnrollAsync("lane-1");
        await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-1" });
        await WaitForEntriesAsync(hub, entry => entry.Kind == AuditKinds.Issuance);
        return Path.Combine(hub.DataDirectory, "hub.db");
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(string database, string sql)
    {
        using SqliteConnection connection = Open(database);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static AuditVerification Verify(string database)
    {
        using SqliteConnection connection = Open(database);
        return AuditVerifier.Verify(connection);
    }

    private static long ReadHeadSeq(string database)
    {
        using SqliteConnection connection = Open(database);
        return AuditChain.ReadHead(connection, transaction: null).Seq;
    }

    private static AuditEntry ReadEntry(string database, long seq)
    {
        using SqliteConnection connection = Open(database);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT seq, time_ms, kind, actor, payload, prev_hash, hash FROM audit WHERE seq = $seq;";
        command.Parameters.AddWithValue("$seq", seq);
        using SqliteDataReader reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return new AuditEntry(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
            reader.GetString(4), (byte[])reader.GetValue(5), (byte[])reader.GetValue(6));
    }
}
