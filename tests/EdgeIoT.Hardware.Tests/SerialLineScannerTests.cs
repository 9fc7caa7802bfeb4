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
}
