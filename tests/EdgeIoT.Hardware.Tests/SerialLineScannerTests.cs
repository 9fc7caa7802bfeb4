using EdgeIoT.Hardware.Simulated;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hardware.Tests;

public sealed class SerialLineScannerTests
{
    [Fact]
    public async Task Read_MissingPort_RetriesWithoutCrashing()
    {
        var logger = new RecordingLogger<SerialLineScanner>();
        var threeFailures = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = 0;
        logger.Logged += (_, eventId) =>
        {
            if (eventId.Id == 4103 && Interlocked.Increment(ref failures) == 3)
            {
                threeFailures.TrySetResult();
            }
        };
        var options = new SerialLineScannerOptions
        {
            PortName = "/dev/edgeiot-missing-scanner",
            Backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(5), Maximum = TimeSpan.FromMilliseconds(20) },
        };
        await using var scanner = new SerialLineScanner(options, logger: logger);
        using var stop = new CancellationTokenSource();

        var reading = Task.Run(async () =>
        {
            await foreach (var _ in scanner.ReadAllAsync(stop.Token))
            {
            }
        });
        await threeFailures.Task.WaitAsync(TestTimeouts.Signal);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TestTimeouts.Signal));
        Assert.Equal(0, scanner.ConnectionCount);
        Assert.DoesNotContain(logger.Entries, entry => entry.Level >= LogLevel.Error);
        Assert.Contains(logger.Entries, entry => entry.Message.Contains("reconnecting in 10 ms"));
    }

    [Fact]
    public void Constructor_EmptyPortName_Throws()
    {
        var options = new SerialLineScannerOptions { PortName = " " };

        Assert.Throws<ArgumentException>(() => new SerialLineScanner(options));
    }

    [Fact]
    public async Task Read_ScannerUnpluggedAndBack_ReopensWhenByIdLinkReappears()
    {
        var folder = Directory.CreateTempSubdirectory("edgeiot-serial-");
        string byId = Path.Combine(folder.FullName, "serial", "by-id");
        string link = Path.Combine(byId, "usb-Edge_Scanner_0001-if00");
        var device = PlugScanner(link);
        var logger = new RecordingLogger<SerialLineScanner>();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        logger.Logged += (_, eventId) =>
        {
            if (eventId.Id == 4105)
            {
                waiting.TrySetResult();
            }
        };
        var options = new SerialLineScannerOptions
        {
            PortName = link,

            // A back-off far beyond the test timeout, so only the watcher can bring the scanner back in time.
            Backoff = new ReconnectBackoff { Initial = TimeSpan.FromMinutes(5), Maximum = TimeSpan.FromMinutes(5) },
        };
        await using var scanner = new SerialLineScanner(options, logger: logger);
        using var stop = TestTimeouts.Create();
        await using var reads = scanner.ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = reads.MoveNextAsync().AsTask();
        device.Write("EI1:FIRST\r\n"u8);
        Assert.True(await next);
        var first = reads.Current.Text;

        next = reads.MoveNextAsync().AsTask();
        Directory.Delete(byId, recursive: true);
        device.Dispose();
        await waiting.Task.WaitAsync(stop.Token);
        device = PlugScanner(link);
        var second = await WriteUntilReadAsync(device, next, stop.Token);

        Assert.Equal("EI1:FIRST", first);
        Assert.Equal("EI1:SECOND", second(reads));
        Assert.Equal(2, scanner.ConnectionCount);
        device.Dispose();
        await stop.CancelAsync();
        folder.Delete(recursive: true);
    }

    // The reopened port may miss bytes written before it opened, as a real port would, so the
    // scanner resends until the read arrives.
    private static async Task<Func<IAsyncEnumerator<ScanRead>, string>> WriteUntilReadAsync(
        PseudoTerminal device, Task<bool> next, CancellationToken cancellationToken)
    {
        while (!next.IsCompleted)
        {
            device.Write("EI1:SECOND\r\n"u8);
            await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken));
        }

        Assert.True(await next);
        return reads => reads.Current.Text;
    }

    private static PseudoTerminal PlugScanner(string link)
    {
        var device = new PseudoTerminal();
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, device.SlavePath);
        return device;
    }
}
