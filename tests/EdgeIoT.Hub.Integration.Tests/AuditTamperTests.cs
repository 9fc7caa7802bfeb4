using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Integration.Tests;

[Trait("Category", "Security")]
public sealed class AuditTamperTests
{
    [Fact]
    public async Task AuditVerifyCommand_Untouched_ExitsZero()
    {
        await using HubProcess hub = await StartWithActivityAsync();
        await hub.KillAsync();

        ToolResult result = await ToolProcess.HubCliAsync("audit", "verify", "--data", hub.DataDirectory);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("OK", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerifyCommand_RowDeleted_ExitsOne()
    {
        await using HubProcess hub = await StartWithActivityAsync();
        await hub.KillAsync();

        Execute(hub.DatabasePath, "DELETE FROM audit WHERE seq = 3;");
        ToolResult result = await ToolProcess.HubCliAsync("audit", "verify", "--data", hub.DataDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Audit entry 3 was removed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerifyCommand_PayloadAltered_NamesAlteredEntry()
    {
        await using HubProcess hub = await StartWithActivityAsync();
        await hub.KillAsync();

        Execute(hub.DatabasePath, "UPDATE audit SET actor = 'someone-else' WHERE seq = 5;");
        ToolResult result = await ToolProcess.HubCliAsync("audit", "verify", "--data", hub.DataDirectory, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"firstBadSeq\": 5", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"problem\": \"altered\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerifyCommand_RowsSwapped_NamesFirstMoved()
    {
        await using HubProcess hub = await StartWithActivityAsync();

        Execute(hub.DatabasePath, """
            UPDATE audit SET seq = -1 WHERE seq = 4;
            UPDATE audit SET seq = 4 WHERE seq = 5;
            UPDATE audit SET seq = 5 WHERE seq = -1;
            """);
        ToolResult result = await ToolProcess.HubCliAsync("audit", "verify", "--hub", hub.HttpUrl.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Audit entry 4 was altered or moved", result.Output, StringComparison.Ordinal);
    }

    private static async Task<HubProcess> StartWithActivityAsync()
    {
        HubProcess hub = await HubProcess.StartAsync();
        (await hub.ImportAsync(Guests.Range(1, 5))).EnsureSuccessStatusCode();
        await hub.EnrollAsync("lane-1");
        (await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-1" })).EnsureSuccessStatusCode();

        // Issuance entries are committed by the audit writer off the request path; wait until it is in the chain.
        using var timeout = new CancellationTokenSource(HubProcess.Timeout);
        while (!(await hub.Http.GetStringAsync("/api/audit?limit=1000", timeout.Token)).Contains("\"issuance\"", StringComparison.Ordinal))
        {
            await Task.Delay(20, timeout.Token);
        }

        return hub;
    }

    private static void Execute(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
