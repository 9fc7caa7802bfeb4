namespace EdgeIoT.Hub.Cli;

/// <summary>
/// Progress of a long runbook step: one line rewritten in place on a terminal, and a plain line
/// at most every few seconds when the output is redirected to a file or a pipe.
/// </summary>
public sealed class ConsoleProgress(TimeProvider time)
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    private readonly bool _interactive = !Console.IsOutputRedirected;
    private DateTimeOffset _lastPlain = DateTimeOffset.MinValue;
    private int _lastLength;

    public void Report(string line)
    {
        ArgumentNullException.ThrowIfNull(line);

        if (_interactive)
        {
            Console.Write("\r" + line.PadRight(_lastLength));
            _lastLength = line.Length;
            return;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (now - _lastPlain >= PlainInterval)
        {
            Console.WriteLine(line);
            _lastPlain = now;
        }
    }

    /// <summary>Ends the progress display with a final line that is always printed.</summary>
    public void Complete(string line)
    {
        if (_interactive && _lastLength > 0)
        {
            Console.Write("\r" + new string(' ', _lastLength) + "\r");
        }

        Console.WriteLine(line);
    }
}
