namespace EdgeIoT.Hardware;

/// <summary>A QR or NFC reader that delivers each scan as text.</summary>
public interface IScanner : IAsyncDisposable
{
    string Name { get; }

    /// <summary>
    /// Yields scans until <paramref name="cancellationToken"/> is cancelled. Drivers reconnect
    /// by themselves after a lost connection, so the sequence does not end on a device fault.
    /// </summary>
    IAsyncEnumerable<ScanRead> ReadAllAsync(CancellationToken cancellationToken);
}
