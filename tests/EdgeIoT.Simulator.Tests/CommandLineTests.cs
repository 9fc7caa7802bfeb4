using System.Diagnostics;
using System.Text.Json;

namespace EdgeIoT.Simulator.Tests;

/// <summary>The simulator and the virtual device as a user starts them: exit codes and messages.</summary>
[Trait("Category", "EndToEnd")]
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = TestPaths.NewTempFolder("cli");

    [Fact]
    public async Task WindowSeconds_AboveMaximum_ExitsTwoNamingRange()
    {
        (int exitCode, string output, string errors) = await SimulatorProcess.RunAsync(
            "--window-seconds", "99999", "--data", Path.Combine(_folder, "data"));

        Assert.Equal(2, exitCode);
        Assert.Contains("--window-seconds 99999 is invalid: use 5 to 14400 seconds.", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Starting", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arriving_MoreThanGuestList_ExitsTwo()
    {
        (int exitCode, string output, string errors) = await SimulatorProcess.RunAsync(
            "--scenario", TestPaths.Scenario("smoke"), "--short", "--arriving", "100000", "--data", Path.Combine(_folder, "data"));

        Assert.Equal(2, exitCode);
        Assert.StartsWith("--arriving 100000 is invalid: the guest list ", errors, StringComparison.Ordinal);
        Assert.Matches(@"guests\.csv has \d+ pre-registered guests who can arrive; use 0 \(all of them\) to \d+\.", errors);
        Assert.DoesNotContain("EdgeIoT simulated event", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")));
    }

    [Fact]
    public async Task Data_BelowFile_ExitsTwoWithoutBanner()
    {
        string file = Path.Combine(_folder, "plain-file");
        await File.WriteAllTextAsync(file, "not a folder");
        string data = Path.Combine(file, "data");

        (int exitCode, string output, string errors) = await SimulatorProcess.RunAsync(
            "--scenario", TestPaths.Scenario("smoke"), "--short", "--data", data);

        Assert.Equal(2, exitCode);
        Assert.Equal($"--data {data} is invalid: {file} is a file, so no folder can be created below it; "
            + "choose a path whose parent folders are folders. No log was written.", errors.Trim());
        Assert.DoesNotContain("EdgeIoT simulated event", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--window-seconds", "1e9", "--window-seconds '1e9' is invalid: use a whole number of seconds from 5 to 14400.")]
    [InlineData("--agents", "two", "--agents 'two' is invalid: use a whole number, 0 or more.")]
    [InlineData("--seed", "abc", "--seed 'abc' is invalid: use a whole number from -2147483648 to 2147483647.")]
    public async Task WholeNumberOption_NotANumber_ExitsTwoNamingRange(string option, string value, string expected)
    {
        (int exitCode, _, string errors) = await SimulatorProcess.RunAsync(option, value, "--data", Path.Combine(_folder, "data"));

        Assert.Equal(2, exitCode);
        Assert.Equal(expected, errors.Split('\n')[0].Trim());
    }

    [Fact]
    public async Task Scenario_Folder_ExitsTwoNamingFolder()
    {
        (int exitCode, string output, string errors) = await SimulatorProcess.RunAsync(
            "--scenario", _folder, "--data", Path.Combine(_folder, "data"));

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"Scenario file {_folder} is a folder, not a file; give the path of a scenario JSON file", errors, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Guests_MissingFile_ExitsTwoOnStandardError()
    {
        string missing = Path.Combine(_folder, "no-such-guests.csv");

        (int exitCode, string output, string errors) = await SimulatorProcess.RunAsync(
            "--guests", missing, "--data", Path.Combine(_folder, "data"));

        Assert.Equal(2, exitCode);
        Assert.Contains($"--guests {missing} is invalid", errors, StringComparison.Ordinal);
        Assert.DoesNotContain(missing, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guests_Folder_ExitsTwoNamingFolder()
    {
        (int exitCode, _, string errors) = await SimulatorProcess.RunAsync(
            "--guests", _folder, "--data", Path.Combine(_folder, "data"));

        Assert.Equal(2, exitCode);
        Assert.Contains($"--guests {_folder} is invalid: it is a folder.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsOptions_NoAdditionalArguments()
    {
        (int exitCode, string output, _) = await SimulatorProcess.RunAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--window-seconds", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Additional Arguments", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interrupt_DuringCrowd_WritesPartialReportAndExits130()
    {
        string data = Path.Combine(_folder, "data");
        Process process = SimulatorProcess.Start("--scenario", TestPaths.Scenario("smoke"), "--short", "--data", data);
        var firstVisitorsDecided = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) =>
        {
            output.AppendLine(line.Data);

            // The plain progress prints a line per tenth of the crowd, so some visits have finished.
            if (line.Data?.Contains("visitors at the gates", StringComparison.Ordinal) == true)
            {
                firstVisitorsDecided.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        Task<string> errors = process.StandardError.ReadToEndAsync();

        await firstVisitorsDecided.Task.WaitAsync(SimulatorProcess.Timeout);
        using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(SimulatorProcess.Timeout);
        await process.WaitForExitAsync(timeout.Token);
        string errorText = await errors;

        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}; output:{Environment.NewLine}{output}{errorText}");
        Assert.Single(errorText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        string jsonFile = Path.GetFullPath(Path.Combine(data, "report.json"));
        Assert.StartsWith("Interrupted in phase \"Visitors arriving\"", errorText, StringComparison.Ordinal);
        Assert.Contains("the lanes, hub and ledger were stopped", errorText, StringComparison.Ordinal);
        Assert.Contains($"Partial report: {jsonFile} and ", errorText, StringComparison.Ordinal);
        Assert.Contains("expected outcomes were not judged", output.ToString(), StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(jsonFile));
        JsonElement report = json.RootElement;
        JsonElement interruption = report.GetProperty("interruption");
        Assert.Equal("interrupted", interruption.GetProperty("reason").GetString());
        Assert.Equal("Visitors arriving", interruption.GetProperty("phase").GetString());
        Assert.Equal(JsonValueKind.Number, interruption.GetProperty("crowdSecond").ValueKind);
        int finished = interruption.GetProperty("visitsFinished").GetInt32();
        Assert.InRange(finished, 1, interruption.GetProperty("visitsPlanned").GetInt32());
        Assert.False(report.GetProperty("passed").GetBoolean());
        Assert.Equal(0, report.GetProperty("expectations").GetArrayLength());
        Assert.Equal(0, report.GetProperty("failures").GetArrayLength());
        JsonElement decisions = report.GetProperty("decisions");
        Assert.Equal(finished, decisions.GetProperty("scans").GetInt32() + decisions.GetProperty("undecided").GetInt32());
        Assert.True(report.GetProperty("reconciliation").GetProperty("producedAtEdge").GetInt64() > 0);

        string html = await File.ReadAllTextAsync(Path.Combine(data, "report.html"));
        Assert.Contains("id=\"interrupted\"", html, StringComparison.Ordinal);
        Assert.Contains("PARTIAL REPORT: run interrupted", html, StringComparison.Ordinal);
        Assert.Contains("Expected outcomes were not judged", html, StringComparison.Ordinal);

        // A clean disconnect shows that agent-1 stopped gracefully, which flushes its outbox first.
        string log = await File.ReadAllTextAsync(Path.Combine(data, "simulation.log"));
        Assert.Contains("Device agent-1 disconnected (Clean)", log, StringComparison.Ordinal);
        process.Dispose();
    }

    [Fact]
    public async Task Terminate_DuringCrowd_WritesPartialReportAndExits143()
    {
        string data = Path.Combine(_folder, "data");
        Process process = SimulatorProcess.Start("--scenario", TestPaths.Scenario("smoke"), "--short", "--data", data);
        var crowdArriving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) =>
        {
            output.AppendLine(line.Data);
            if (line.Data?.Contains("visitors at the gates", StringComparison.Ordinal) == true)
            {
                crowdArriving.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        Task<string> errors = process.StandardError.ReadToEndAsync();

        await crowdArriving.Task.WaitAsync(SimulatorProcess.Timeout);
        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(SimulatorProcess.Timeout);
        await process.WaitForExitAsync(timeout.Token);
        string errorText = await errors;

        Assert.True(process.ExitCode == 143, $"exit code {process.ExitCode}; output:{Environment.NewLine}{output}{errorText}");
        Assert.StartsWith("Interrupted in phase \"Visitors arriving\"", errorText, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "report.json")));
        process.Dispose();
    }

    [Fact]
    public async Task VirtualDevice_NoOperatorToken_ExitsTwo()
    {
        string endpoints = Path.Combine(_folder, "hub.endpoints.json");
        await File.WriteAllTextAsync(endpoints, """
            { "mqttPort": 1, "httpUrl": "http://127.0.0.1:1", "venue": "v", "eventId": 1,
              "rootPublicKey": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }
            """);
        var environment = new Dictionary<string, string?> { ["EDGEIOT_OPERATOR_TOKEN"] = null };

        (int exitCode, _, string errors) = await SimulatorProcess.CompleteAsync(SimulatorProcess.StartDll(
            TestPaths.VirtualDeviceDll(), environment, "--device-id", "esp32-1", "--hub-endpoints", endpoints,
            "--flash-file", Path.Combine(_folder, "esp32-1.flash")));

        Assert.Equal(2, exitCode);
        Assert.StartsWith("Missing operator token", errors, StringComparison.Ordinal);
        Assert.Contains("EDGEIOT_OPERATOR_TOKEN", errors, StringComparison.Ordinal);
        Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--pulse-ms", "5", "--pulse-ms 5 is invalid: use 10 to 5000 milliseconds.")]
    [InlineData("--flash-sectors", "2", "--flash-sectors 2 is invalid: use 8 to 1024 sectors.")]
    [InlineData("--status-interval-ms", "5", "--status-interval-ms 5 is invalid: use 0 (no status lines) or 20 to 60000 milliseconds.")]
    public async Task VirtualDevice_OutOfRangeOption_ExitsTwoNamingIt(string option, string value, string expected)
    {
        (int exitCode, _, string errors) = await SimulatorProcess.CompleteAsync(SimulatorProcess.StartDll(
            TestPaths.VirtualDeviceDll(), null, "--device-id", "esp32-1", option, value));

        Assert.Equal(2, exitCode);
        Assert.Equal(expected, errors.Trim());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
