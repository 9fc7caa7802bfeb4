using System.Runtime.Versioning;
using System.Text.Json;
using EdgeIoT.Firmware.Provisioning;
using MQTTnet;
using MQTTnet.Formatter;
using Xunit.Abstractions;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>The technician CLI as its own process against a hub process and a virtual ESP32 process.</summary>
[Trait("Category", "EndToEnd")]
public sealed class TechnicianCliTests(ITestOutputHelper output) : IAsyncLifetime
{
    private VenueProcesses _venue = null!;

    public async Task InitializeAsync() => _venue = await VenueProcesses.StartHubAsync();

    public async Task DisposeAsync()
    {
        foreach (ProcessHost process in _venue.Processes)
        {
            output.WriteLine($"--- {process.Name} (exited: {process.HasExited}) ---");
            output.WriteLine(process.RecentOutput());
        }

        await _venue.DisposeAsync();
    }

    [Fact]
    public async Task Enroll_AgainstHub_WritesOwnerOnlyBundle()
    {
        string bundlePath = Path.Combine(_venue.Root, "gate-7.bundle.json");

        CliRun run = await _venue.TechnicianAsync(
        [
            "enroll", "--hub", _venue.HubApi.BaseAddress!.ToString(), "--device-id", "gate-7", "--zone", "3",
            "--wifi-ssid", "venue-staff", "--out", bundlePath,
        ]);

        Assert.True(run.ExitCode == 0, run.ToString());
        DeviceBundle bundle = DeviceBundle.TryParse(await File.ReadAllBytesAsync(bundlePath), out string? error)!;
        Assert.Null(error);
        Assert.Equal("gate-7", bundle.DeviceId);
        Assert.Equal(_venue.Venue, bundle.Venue);
        Assert.Equal(3, bundle.Zone);
        Assert.Equal("127.0.0.1", bundle.MqttHost);
        Assert.Equal(_venue.MqttPort, bundle.MqttPort);
        Assert.Equal("venue-staff", bundle.WifiSsid);
        Assert.Equal(VenueProcesses.WifiPassword, bundle.WifiPassword);
        Assert.Equal(32, bundle.RootPublicKey.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(bundlePath));
        }

        Assert.DoesNotContain(bundle.MqttPassword, run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(VenueProcesses.WifiPassword, run.Output + run.Error, StringComparison.Ordinal);
        Assert.Equal("enrolled", await _venue.DeviceStateAsync("gate-7"));
        await AssertMqttLoginAsync(bundle);
    }

    [Fact]
    public async Task Enroll_BundleExists_RefusesWithoutForce()
    {
        string bundlePath = await _venue.EnrollAsync("gate-8");
        byte[] first = await File.ReadAllBytesAsync(bundlePath);

        CliRun run = await _venue.TechnicianAsync(
        [
            "enroll", "--hub", _venue.HubApi.BaseAddress!.ToString(), "--device-id", "gate-8", "--wifi-ssid", "venue-staff",
            "--out", bundlePath,
        ]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("already exists; pass --force", run.Error, StringComparison.Ordinal);
        Assert.Equal(first, await File.ReadAllBytesAsync(bundlePath));
    }

    [Fact]
    public async Task Enroll_WifiPasswordMissing_FailsNamingTheOptions()
    {
        CliRun run = await _venue.TechnicianAsync(
            ["enroll", "--hub", _venue.HubApi.BaseAddress!.ToString(), "--device-id", "gate-9", "--wifi-ssid", "venue-staff"],
            new Dictionary<string, string> { ["EDGEIOT_WIFI_PASSWORD"] = string.Empty });

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("EDGEIOT_WIFI_PASSWORD", run.Error, StringComparison.Ordinal);
        Assert.Contains("--open-wifi", run.Error, StringComparison.Ordinal);
        Assert.Null(await _venue.DeviceStateAsync("gate-9"));
    }

    [Fact]
    public async Task Verify_BundleMissing_Exit2NamesFile()
    {
        string missing = Path.Combine(_venue.Root, "missing.bundle.json");

        CliRun run = await _venue.TechnicianAsync(["verify", "--bundle", missing]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"error: Bundle file {missing} was not found; write it with 'enroll'.", run.Error.Trim());
    }

    [Fact]
    public async Task Verify_UnknownOption_Exit2NamesOption()
    {
        CliRun run = await _venue.TechnicianAsync(["verify", "--bundel", "gate.json"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("error: Unrecognized command or argument '--bundel'.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_HubNotRunning_FailsNamingTheHub()
    {
        CliRun run = await _venue.TechnicianAsync(
            ["enroll", "--hub", "http://127.0.0.1:9", "--device-id", "gate-9", "--wifi-ssid", "venue-staff", "--out", Path.Combine(_venue.Root, "x.json")]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Hub http://127.0.0.1:9/ is not reachable", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_venue.Root, "x.json")));
    }

    [Fact]
    public async Task Flash_NanoffMissing_PrintsInstallCommand()
    {
        string firmware = Path.Combine(_venue.Root, "nanoCLR.bin");
        await File.WriteAllBytesAsync(firmware, [0xE9]);
        string emptyHome = Directory.CreateDirectory(Path.Combine(_venue.Root, "home")).FullName;

        CliRun run = await _venue.TechnicianAsync(
            ["flash", "--target", "ESP32_REV3", "--serialport", "/dev/ttyUSB0", "--firmware", firmware],
            new Dictionary<string, string> { ["PATH"] = emptyHome, ["HOME"] = emptyHome });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nanoff was not found", run.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install -g nanoff", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Deploy_WithNanoffOnPath_RunsDocumentedArguments()
    {
        // No board is attached here, so a stand-in nanoff records how it was called.
        string tools = Directory.CreateDirectory(Path.Combine(_venue.Root, "tools")).FullName;
        string log = Path.Combine(tools, "calls.log");
        string copy = Path.Combine(tools, "deployment.json");
        string script = Path.Combine(tools, "nanoff");
        await File.WriteAllTextAsync(script,
            "#!/bin/sh\n" +
            $"printf '%s\\n' \"$*\" >> '{log}'\n" +
            $"if [ \"$3\" = --filedeployment ]; then cp \"$4\" '{copy}'; fi\n" +
            "echo 'Deploying...'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string bundle = await _venue.EnrollAsync("gate-10");
        string image = Path.Combine(_venue.Root, "EdgeIoT.Firmware.Device.bin");
        await File.WriteAllBytesAsync(image, [1, 2, 3]);

        CliRun run = await _venue.TechnicianAsync(
            ["deploy", "--target", "ESP32_REV3", "--serialport", "/dev/ttyUSB0", "--image", image, "--bundle", bundle],
            new Dictionary<string, string> { ["PATH"] = tools + ":" + Environment.GetEnvironmentVariable("PATH") });

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] calls = await File.ReadAllLinesAsync(log);
        Assert.Equal(2, calls.Length);
        Assert.StartsWith("--serialport /dev/ttyUSB0 --filedeployment ", calls[0], StringComparison.Ordinal);
        Assert.Equal($"--target ESP32_REV3 --serialport /dev/ttyUSB0 --deploy --image {image}", calls[1]);
        using JsonDocument deployment = JsonDocument.Parse(await File.ReadAllTextAsync(copy));
        JsonElement file = Assert.Single(deployment.RootElement.GetProperty("files").EnumerateArray());
        Assert.Equal("I:\\edgeiot-bundle.json", file.GetProperty("DestinationFilePath").GetString());
        Assert.Equal(bundle, file.GetProperty("SourceFilePath").GetString());
        Assert.Equal("/dev/ttyUSB0", deployment.RootElement.GetProperty("serialport").GetString());
    }

    [Fact]
    public async Task Verify_VirtualEsp32LoadsSameBundle_ReportsOnline()
    {
        string bundle = await _venue.EnrollAsync("esp32-tech");
        _venue.StartVirtualEsp32(bundle, "esp32-tech", out _);

        CliRun run = await _venue.TechnicianAsync(["verify", "--bundle", bundle, "--timeout-seconds", "60"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("esp32-tech is online at", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DeviceNeverConnects_TimesOutWithState()
    {
        string bundle = await _venue.EnrollAsync("esp32-absent");

        CliRun run = await _venue.TechnicianAsync(["verify", "--bundle", bundle, "--timeout-seconds", "2"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("esp32-absent did not come online", run.Error, StringComparison.Ordinal);
        Assert.Contains("within 2 s (the hub reports state 'enrolled')", run.Error, StringComparison.Ordinal);
        Assert.Contains("Wi-Fi 'venue-staff'", run.Error, StringComparison.Ordinal);
    }

    private async Task AssertMqttLoginAsync(DeviceBundle bundle)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer(bundle.MqttHost, bundle.MqttPort)
            .WithCredentials(bundle.MqttUsername, bundle.MqttPassword)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(bundle.DeviceId + "-check")
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        MqttClientConnectResult result = await client.ConnectAsync(options, timeout.Token);

        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        await client.DisconnectAsync();
    }
}
