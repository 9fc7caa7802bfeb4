using System.Diagnostics;
using EdgeIoT.Hub.Reporting;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;

namespace EdgeIoT.Hub.Tests.Dashboard;

public sealed class ReportCommandTests
{
    [Fact]
    public async Task Report_HubDataDirectory_WritesCsvTables()
    {
        string data = await RecordEventAsync();
        string output = Path.Combine(data, "out");

        int exitCode = ReportCommand.Run(data, output, TextWriter.Null, TextWriter.Null);

        Assert.Equal(ReportCommand.Success, exitCode);
        Dictionary<string, string> totals = ReadCsv(output, "totals.csv").ToDictionary(row => row[0], row => row[1]);
        Assert.Equal("4", totals["decisions"]);
        Assert.Equal("3", totals["admitted"]);
        Assert.Equal("1", totals["denied"]);
        Assert.Equal("0.25", totals["offline_share"]);
        Assert.Equal("5", totals["guests_on_list"]);
        Assert.Equal("2", totals["guests_arrived"]);
        Assert.Equal("1", totals["denied_expired"]);
        string[][] lanes = ReadCsv(output, "lanes.csv");
        Assert.Equal(["lane-1", "lane-2"], lanes.Select(row => row[0]));
        Assert.Equal("3", lanes[0][2]);
        Assert.Equal("1", lanes[1][5]);
        string[][] latencyAll = ReadCsv(output, "latency.csv").Where(row => row[0] == "all").ToArray();
        Assert.Equal("3", Assert.Single(latencyAll, row => row[1] == "5")[2]);
        Assert.Equal("0", Assert.Single(latencyAll, row => row[1] == "10")[2]);
        Assert.Equal("1", Assert.Single(latencyAll, row => row[1] == "20")[2]);
        Assert.Equal(4, latencyAll.Sum(row => int.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture)));
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Report_AssistantSales_PaidToCreator()
    {
        string data = await RecordEventAsync();
        string output = Path.Combine(data, "out");

        ReportCommand.Run(data, output, TextWriter.Null, TextWriter.Null);

        string[][] payouts = ReadCsv(output, "payouts.csv");
        string[] creator = Assert.Single(payouts);
        Assert.Equal("5", creator[0]);
        Assert.Equal("PX-5", creator[1]);
        Assert.Equal("EUR", creator[3]);
        Assert.Equal("3", creator[4]);
        Assert.Equal("2", creator[5]);
        Assert.Equal("2200", creator[6]);
        string[] dispute = Assert.Single(ReadCsv(output, "disputes.csv"));
        Assert.Equal("1", dispute[0]);
        Assert.Equal("lane-1 lane-2", dispute[2]);
        string html = await File.ReadAllTextAsync(Path.Combine(output, "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("Payouts per creator", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "report.json")));
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public void Report_NoDatabase_ExitCode2()
    {
        string empty = Path.Combine(Path.GetTempPath(), "edgeiot-report-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        var error = new StringWriter();

        int exitCode = ReportCommand.Run(empty, null, TextWriter.Null, error);

        Assert.Equal(ReportCommand.NoDatabase, exitCode);
        Assert.Contains(Path.Combine(empty, "hub.db"), error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(empty, "report")));
        Directory.Delete(empty, recursive: true);
    }

    [Fact]
    public async Task Report_AsHubProcess_WritesReportFiles()
    {
        string data = await RecordEventAsync();
        string hubDll = Path.Combine(AppContext.BaseDirectory, "EdgeIoT.Hub.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { hubDll, "report", "--data", data })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stdout} {await stderr}");
        Assert.Contains("4 decisions", await stdout, StringComparison.Ordinal);
        foreach (string file in ReportCsvWriter.FileNames.Append("report.html"))
        {
            Assert.True(File.Exists(Path.Combine(data, "report", file)), file);
        }

        Directory.Delete(data, recursive: true);
    }

    /// <summary>Runs the dashboard scenario plus creator sales on a real hub, stops it and returns its data directory.</summary>
    private static async Task<string> RecordEventAsync()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        hub.KeepData = true;
        await DashboardScenario.RunAsync(hub);
        HttpResponseMessage creator = await hub.ImportAsync(TestData.Guests(
            "PX-1,Ana One,ana@example.test,General Admission,standard,paid,,0",
            "PX-2,Ben Two,ben@example.test,General Admission,standard,paid,,0",
            "PX-3,Cai Three,cai@example.test,General Admission,standard,paid,,0",
            "PX-4,Dee Four,dee@example.test,General Admission,standard,paid,,0",
            "PX-5,Eve Maker,eve@example.test,Creator,vip,complimentary,,0"));
        creator.EnsureSuccessStatusCode();
        IMqttClient till = await hub.ConnectDeviceAsync("till-1");
        EdgeEvent[] payments =
        [
            Payment(1, 5, null, "creator", 1000),
            Payment(2, 6, 5, "creator_assistant", 700),
            Payment(3, 6, 5, "creator_assistant", 500),
            Payment(4, 7, null, "walk_in", 300),
        ];
        foreach (EdgeEvent payment in payments)
        {
            Assert.True((await till.PublishEventAsync(hub.Options.Venue, payment)).IsSuccess);
        }

        return hub.DataDirectory;
    }

    private static EdgeEvent Payment(long seq, long entitlementId, long? delegatorId, string role, long amountMinor) =>
        TestData.Event("till-1", seq, EventKinds.Payment) with
        {
            EntitlementId = entitlementId,
            DelegatorId = delegatorId,
            Role = role,
            AmountMinor = amountMinor,
        };

    private static string[][] ReadCsv(string folder, string file) =>
        File.ReadAllLines(Path.Combine(folder, file)).Skip(1).Select(line => line.Split(',')).ToArray();
}
