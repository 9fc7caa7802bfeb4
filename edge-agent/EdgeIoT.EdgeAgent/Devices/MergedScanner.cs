using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EdgeIoT.Hardware;

namespace EdgeIoT.EdgeAgent.Devices;

/// <summary>
/// The readers of one lane (a QR scanner and an NFC reader) as one scanner. Reads come out in
/// the order they arrive, so the decision pipeline still decides one scan at a time.
/// </summary>
public sealed class MergedScanner : IScanner
{
    private readonly IReadOnlyList<IScanner> _scanners;

    public MergedScanner(IReadOnlyList<IScanner> scanners)
    {
        ArgumentNullException.ThrowIfNull(scanners);
        ArgumentOutOfRangeException.ThrowIfLessThan(scanners.Count, 1);

        _scanners = scanners;
        Name = string.Join(" + ", scanners.Select(scanner => scanner.Name));
    }

    public string Name { get; }

    public async IAsyncEnumerable<ScanRead> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reads = Channel.CreateUnbounded<ScanRead>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task pumps = Task.WhenAll(_scanners.Select(scanner => PumpAsync(scanner, reads.Writer, stop.Token)));

        // A reader that fails ends the sequence with its error, as a single scanner would.
        _ = pumps.ContinueWith(
            done => reads.Writer.TryComplete(done.Exception?.InnerException),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        try
        {
            await foreach (ScanRead read in reads.Reader.ReadAllAsync(cancellationToken))
            {
                yield return read;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pumps.ContinueWith(
                _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IScanner scanner in _scanners)
        {
            await scanner.DisposeAsync();
        }
    }

    private static async Task PumpAsync(IScanner scanner, ChannelWriter<ScanRead> reads, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (ScanRead read in scanner.ReadAllAsync(cancellationToken))
            {
                await reads.WriteAsync(read, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
