namespace EdgeIoT.Hardware;

/// <summary>
/// Settings of a scanner reached over TCP (configuration section such as "Scanners:Qr", one per
/// scanner).
/// </summary>
public sealed record TcpLineScannerOptions
{
    public string Name { get; init; } = "tcp-scanner";

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; }

    public ScanSource Source { get; init; } = ScanSource.Qr;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public ReconnectBackoff Backoff { get; init; } = new();
}
