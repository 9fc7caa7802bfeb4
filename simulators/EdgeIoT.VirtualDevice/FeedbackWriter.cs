using System.Text;

namespace EdgeIoT.VirtualDevice;

/// <summary>
/// Writes feedback lines to one scanner connection. Decisions and status lines come from
/// different tasks, so each write holds a lock and sends one whole line.
/// </summary>
internal sealed class FeedbackWriter(Stream stream) : IDisposable
{
    private readonly SemaphoreSlim _oneLineAtATime = new(1, 1);

    public async Task WriteAsync(ScanFeedbackLine line, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line.ToJsonLine() + "\n");
        await _oneLineAtATime.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _oneLineAtATime.Release();
        }
    }

    public void Dispose() => _oneLineAtATime.Dispose();
}
