namespace EdgeIoT.Hardware;

/// <summary>Settings of a network receipt printer (configuration section "Printer").</summary>
public sealed record EscPosPrinterOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port of the printer's raw print server; 9100 on Epson and most others.</summary>
    public int Port { get; init; } = 9100;

    public int LineWidth { get; init; } = ReceiptLayout.DefaultLineWidth;

    /// <summary>How long to wait for the three replies of a status query (DLE EOT 1, 2 and 4, sent together).</summary>
    public TimeSpan StatusTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);
}
