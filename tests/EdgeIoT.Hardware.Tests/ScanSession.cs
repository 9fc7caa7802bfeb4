namespace EdgeIoT.Hardware.Tests;

/// <summary>
/// A test's read loop over one scanner. It hands out the scanner's reads one at a time, and on
/// disposal cancels and awaits the pending read, so no read outlives the test.
/// </summary>
internal sealed class ScanSession : IAsyncDisposable
{
    private readonly IScanner _scanner;
    private readonly CancellationTokenSource _timeout;
    private readonly IAsyncEnumerator<ScanRead> _reads;
    private Task _inFlight = Task.CompletedTask;

    /// <param name="timeout">The test's timeout, which also ends the read loop.</param>
    public ScanSession(IScanner scanner, CancellationTokenSource timeout)
    {
        _scanner = scanner;
        _timeout = timeout;
        _reads = scanner.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
    }

    /// <summary>Returns the scanner's next read; the test fails when the loop ends first.</summary>
    public Task<ScanRead> NextAsync()
    {
        Task<ScanRead> next = NextCoreAsync();
        _inFlight = next;
        return next;
    }

    public async ValueTask DisposeAsync()
    {
        await _timeout.CancelAsync();
        await _scanner.DisposeAsync();
        try
        {
            await _inFlight;
        }
        catch (OperationCanceledException)
        {
            // The pending read ends with the test's cancellation.
        }

        await _reads.DisposeAsync();
    }

    private async Task<ScanRead> NextCoreAsync()
    {
        Assert.True(await _reads.MoveNextAsync());
        return _reads.Current;
    }
}
