using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Hub.Api;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Tokens.Tests;

/// <summary>
/// A virtual ESP32 on real MQTT to an in-process hub: after a key rotation and a snapshot
/// change it reports its new versions without reconnecting, its door contact raises and
/// clears an alarm on the dashboard, and its telemetry shows a clock that is off.
/// </summary>
public sealed class Esp32DashboardTests
{
    private const string DeviceId = "esp32-door";

    [Fact]
    public async Task Esp32_VersionsAndDoorAlarm_OnDashboard()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        string flashFile = NewFlashFile();
        VirtualEsp32Options options = await EnrollAsync(venue, flashFile, doorContact: true);
        using var applied = new SemaphoreSlim(0);
        await using (VirtualEsp32 device = await VirtualEsp32.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None))
        {
            device.HubMessageApplied += (_, _) => applied.Release();
            await WaitUntilAsync(() => device.App is { KeyListVersion: > 0, SnapshotVersion: > 0 }, applied, "the retained lists");

            (await venue.Http.PostAsync("/api/keys/rotate", null)).EnsureSuccessStatusCode();
            await venue.AddAssistantAsync();
            JsonElement hubKeys = (await DashboardAsync(venue)).GetProperty("keys");
            uint keyListVersion = hubKeys.GetProperty("rotation").GetProperty("keyListVersion").GetUInt32();
            uint snapshotVersion = hubKeys.GetProperty("snapshotVersion").GetUInt32();
            await WaitUntilAsync(
                () => device.App!.KeyListVersion == keyListVersion && device.App.SnapshotVersion == snapshotVersion,
                applied,
                $"key list {keyListVersion} and snapshot {snapshotVersion} on the device");
            device.Pins!.SetDoorOpen(true);

            JsonElement raised = await WaitForDashboardAsync(
                venue, dashboard => VersionOf(dashboard, "snapshotVersion") == snapshotVersion
                    && VersionOf(dashboard, "keyListVersion") == keyListVersion
                    && AlarmsOf(dashboard).Length > 0,
                "the device's versions and alarm");
            device.Pins.SetDoorOpen(false);
            JsonElement cleared = await WaitForDashboardAsync(
                venue, dashboard => AlarmsOf(dashboard).Length == 0, "the alarm to clear");

            JsonElement alarm = Assert.Single(AlarmsOf(raised));
            Assert.Equal("door_forced", alarm.GetProperty("kind").GetString());
            Assert.StartsWith("door forced", alarm.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, raised.GetProperty("keys").GetProperty("devicesBehind").GetInt32());
            Assert.Equal("online", RowOf(cleared).GetProperty("state").GetString());
        }

        DeleteFlash(flashFile);
    }

    [Fact]
    public async Task Esp32_ClockBehind_RaisesClockDrift()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        string flashFile = NewFlashFile();
        VirtualEsp32Options options = await EnrollAsync(venue, flashFile, clockSkew: TimeSpan.FromSeconds(-8));

        await using (VirtualEsp32 device = await VirtualEsp32.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None))
        {
            JsonElement drifting = await WaitForDashboardAsync(
                venue, dashboard => AlarmsOf(dashboard).Length > 0, "a clock drift alarm");

            JsonElement alarm = Assert.Single(AlarmsOf(drifting));
            Assert.Equal("clock_drift", alarm.GetProperty("kind").GetString());
            Assert.InRange(RowOf(drifting).GetProperty("clockOffsetMs").GetInt64(), -9_000, -7_000);
            Assert.Equal(0, RowOf(drifting).GetProperty("outboxDepth").GetInt32());
        }

        DeleteFlash(flashFile);
    }

    private static string NewFlashFile() =>
        Path.Combine(Path.GetTempPath(), "edgeiot-token-tests", Guid.NewGuid().ToString("N") + ".flash");

    private static void DeleteFlash(string flashFile)
    {
        File.Delete(flashFile);
        File.Delete(flashFile + ".seen");
    }

    /// <summary>Enrolls the device at the hub and returns its options, with telemetry every 200 ms.</summary>
    private static async Task<VirtualEsp32Options> EnrollAsync(
        TestVenue venue, string flashFile, bool doorContact = false, TimeSpan clockSkew = default)
    {
        EnrollDeviceResponse enrolled = await venue.EnrollAsync(DeviceId, "firmware");
        return new VirtualEsp32Options
        {
            DeviceId = DeviceId,
            Venue = venue.Endpoints.Venue,
            EventId = venue.EventId,
            MqttPort = venue.Endpoints.MqttPort,
            Username = enrolled.MqttUsername,
            Password = enrolled.MqttPassword,
            RootPublicKey = venue.RootPublicKey,
            FlashFile = flashFile,
            DoorContact = doorContact,
            ClockSkew = clockSkew,
            TelemetryInterval = TimeSpan.FromMilliseconds(200),
        };
    }

    private static JsonElement RowOf(JsonElement dashboard) =>
        dashboard.GetProperty("devices").EnumerateArray().Single(row => row.GetProperty("deviceId").GetString() == DeviceId);

    private static uint? VersionOf(JsonElement dashboard, string name)
    {
        JsonElement version = RowOf(dashboard).GetProperty(name);
        return version.ValueKind == JsonValueKind.Number ? version.GetUInt32() : null;
    }

    private static JsonElement[] AlarmsOf(JsonElement dashboard) =>
    [
        .. dashboard.GetProperty("alarms").EnumerateArray()
            .Where(alarm => alarm.GetProperty("deviceId").GetString() == DeviceId)
            .Select(alarm => alarm.Clone()),
    ];

    private static async Task<JsonElement> DashboardAsync(TestVenue venue) =>
        await venue.Http.GetFromJsonAsync<JsonElement>("/api/dashboard");

    /// <summary>Polls <c>/api/dashboard</c> every 50 ms until <paramref name="condition"/> is true or the venue's timeout passes.</summary>
    private static async Task<JsonElement> WaitForDashboardAsync(TestVenue venue, Func<JsonElement, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TestVenue.Timeout);
        while (true)
        {
            JsonElement dashboard = await DashboardAsync(venue);
            if (condition(dashboard))
            {
                return dashboard;
            }

            Assert.False(timeout.IsCancellationRequested, $"Timed out waiting for {what}; last dashboard: {dashboard}");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }

    /// <summary>Waits for <paramref name="condition"/>, checking it after every applied hub message and every 50 ms.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, SemaphoreSlim applied, string what)
    {
        using var timeout = new CancellationTokenSource(TestVenue.Timeout);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"Timed out waiting for {what}.");
            await applied.WaitAsync(TimeSpan.FromMilliseconds(50));
        }
    }
}
