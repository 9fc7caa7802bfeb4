using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>
/// A virtual ESP32 process, provisioned by the technician CLI, connected to a hub process
/// through a TCP link the test can cut. It admits, denies, goes offline, keeps deciding and
/// queuing, and drains its queue after the link returns with nothing lost.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class Esp32OfflineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string DeviceId = "esp32-lane";
    private const int OfflineGuests = 12;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DecisionTimeout = TimeSpan.FromSeconds(20);

    private VenueProcesses _venue = null!;
    private ProcessHost _device = null!;
    private string _inbox = null!;
    private int _scanFiles;

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
    public async Task VirtualEsp32_LinkCut_DrainsEveryEvent()
    {
        await _venue.ImportGuestsAsync(OfflineGuests + 1);
        await using var link = new FaultProxy("esp32-link", new IPEndPoint(IPAddress.Loopback, _venue.MqttPort), NullLogger.Instance);
        string bundle = await _venue.EnrollAsync(DeviceId, brokerPort: link.Port);
        _device = _venue.StartVirtualEsp32(bundle, DeviceId, out _inbox);
        (string username, string password) = _venue.OperatorCredentials();
        await using DecisionWatcher watcher = await DecisionWatcher.ConnectAsync(_venue.MqttPort, _venue.Venue, username, password);
        await watcher.WaitOnlineAsync(DeviceId, StartTimeout);
        await watcher.WaitForTimeBeaconsAsync(2, StartTimeout);

        string valid = await _venue.CheckInAsync("G-0001");
        EdgeEvent admit = await ScanOnlineAsync(watcher, valid, expectedSeq: 1);
        EdgeEvent deny = await ScanOnlineAsync(watcher, Forgery.UpgradeToStaff(valid), expectedSeq: 2);
        Assert.Equal("admit/none", $"{admit.Outcome}/{admit.Reason}");
        Assert.Equal("deny/bad_signature", $"{deny.Outcome}/{deny.Reason}");

        link.Partition();
        await _venue.WaitForDeviceStateAsync(DeviceId, "offline", StartTimeout);
        for (int guest = 2; guest <= OfflineGuests + 1; guest++)
        {
            string code = await _venue.CheckInAsync($"G-{guest:D4}");
            string decided = await ScanAsync(code, expectedSeq: guest + 1);
            Assert.Contains($"Device {DeviceId} decided admit", decided, StringComparison.Ordinal);
        }

        link.Heal();
        await _venue.WaitForDeviceStateAsync(DeviceId, "online", StartTimeout);
        var drained = new List<EdgeEvent>();
        while (drained.Select(e => e.EventId).Distinct().Count() < OfflineGuests)
        {
            drained.Add(await watcher.NextDecisionAsync(DeviceId, StartTimeout));
        }

        long[] sequences = [.. drained.Select(e => e.Seq).Distinct().Order()];
        Assert.Equal(Enumerable.Range(3, OfflineGuests).Select(i => (long)i), sequences);
        Assert.All(drained, e => Assert.Equal("admit", e.Outcome));
        Assert.All(drained, e => Assert.Equal("offline", e.Mode));
        Assert.All(drained, e => Assert.Equal($"{DeviceId}:{e.Seq}", e.EventId));
        await AssertDrainedInWindowAsync();
    }

    /// <summary>The device logs the publish window once its queue is empty; the backlog went out several at a time.</summary>
    private async Task AssertDrainedInWindowAsync()
    {
        await WaitForOutputAsync($"drained {OfflineGuests} queued events", StartTimeout);
        Match window = Regex.Match(LineWith("queued events; at most")!, @"at most (\d+) publishes");
        int maxInFlight = int.Parse(window.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(maxInFlight, 2, 8);
    }

    /// <summary>Scans a code while the device is connected and returns its event as the hub forwarded it.</summary>
    private async Task<EdgeEvent> ScanOnlineAsync(DecisionWatcher watcher, string code, int expectedSeq)
    {
        await ScanAsync(code, expectedSeq);
        while (true)
        {
            EdgeEvent decision = await watcher.NextDecisionAsync(DeviceId, DecisionTimeout);
            if (decision.Seq == expectedSeq)
            {
                return decision;
            }
        }
    }

    /// <summary>
    /// Scans a code and waits for the device's decision log line with the event's sequence
    /// number, which shows the scan was decided and stored even while no event reaches the hub.
    /// The turnstile ignores scans while the arm is still open for the previous guest, so the
    /// guest scans again when no decision follows.
    /// </summary>
    private async Task<string> ScanAsync(string code, int expectedSeq)
    {
        string decided = $"event seq {expectedSeq}";
        for (int attempt = 1; ; attempt++)
        {
            await SendScanLineAsync(code);
            try
            {
                await WaitForOutputAsync(decided, TimeSpan.FromSeconds(5));
                return LineWith(decided)!;
            }
            catch (TimeoutException) when (attempt < 6)
            {
            }
        }
    }

    private async Task SendScanLineAsync(string line)
    {
        string name = $"scan-{Interlocked.Increment(ref _scanFiles):D4}";
        string temporary = Path.Combine(_inbox, name + ".tmp");
        await File.WriteAllTextAsync(temporary, line + "\r\n");
        File.Move(temporary, Path.Combine(_inbox, name + ".txt"));
    }

    /// <summary>Polls the device's output for a line; the process has no other signal for an offline decision.</summary>
    private async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (LineWith(text) is null)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{DeviceId} printed no line with '{text}' within {timeout.TotalSeconds} s.");
            }
        }
    }

    private string? LineWith(string text) =>
        _device.RecentOutput().Split(Environment.NewLine).LastOrDefault(line => line.Contains(text, StringComparison.Ordinal));
}
