using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Api;
using EdgeIoT.Protocol.Tokens;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Tokens.Tests;

/// <summary>A virtual ESP32 checks rotating passes with the rotating-code key from its enrollment.</summary>
public sealed class RotatingPassTests
{
    [Fact]
    public async Task VirtualEsp32_Offline_AdmitsPassRejectsScreenshot()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        EnrollDeviceResponse enrolled = await venue.EnrollAsync("esp32-pass", "firmware");
        string flashFile = Path.Combine(Path.GetTempPath(), "edgeiot-token-tests", Guid.NewGuid().ToString("N") + ".flash");
        var options = new VirtualEsp32Options
        {
            DeviceId = "esp32-pass",
            Venue = venue.Endpoints.Venue,
            EventId = venue.EventId,
            MqttPort = venue.Endpoints.MqttPort,
            Username = enrolled.MqttUsername,
            Password = enrolled.MqttPassword,
            RootPublicKey = venue.RootPublicKey,
            RotatingCodeKey = Convert.FromBase64String(enrolled.RotatingCodeKey!),
            FlashFile = flashFile,
        };
        using var applied = new SemaphoreSlim(0);
        var decisions = new List<FirmwareDecision>();
        await using (VirtualEsp32 device = await VirtualEsp32.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None))
        {
            device.HubMessageApplied += (_, _) => applied.Release();
            device.Decided += (_, decision) => decisions.Add(decision);
            await WaitUntilAsync(
                () => device.App is { ClockSynchronized: true, KeyListVersion: > 0, SnapshotVersion: > 0, PolicyVersion: not null },
                applied);
            PassResponse issued = await venue.IssuePassAsync("PX-1");
            byte[] pass = Convert.FromBase64String(issued.Pass);
            byte[] secret = Convert.FromBase64String(issued.Secret);
            ulong threeStepsAgo = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (3 * RotatingCode.StepSeconds);
            string screenshot = QrText.Encode(RotatingCode.Append(pass, secret, threeStepsAgo));

            await venue.StopAsync();
            await WaitUntilAsync(() => !device.IsConnected, applied);
            device.SubmitScanLine(screenshot);
            device.SubmitScanLine(new RotatingPass(pass, secret, TimeProvider.System).CurrentQrText());

            Assert.True(device.App!.HasRotatingCodeKey);
        }

        File.Delete(flashFile);
        Assert.Equal(2, decisions.Count);
        Assert.Equal(RejectReason.RotatingCodeExpired, decisions[0].Reason);
        Assert.True(decisions[1].Admitted, $"current code was denied as {RejectReasons.ToCode(decisions[1].Reason)}");
    }

    /// <summary>Waits for <paramref name="condition"/>, checking it after every applied hub message and every 50 ms.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, SemaphoreSlim applied)
    {
        using var timeout = new CancellationTokenSource(TestVenue.Timeout);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, "Timed out waiting for the virtual ESP32.");
            await applied.WaitAsync(TimeSpan.FromMilliseconds(50));
        }
    }
}
