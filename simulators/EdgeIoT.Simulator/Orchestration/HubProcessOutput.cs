using System.Diagnostics;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Appends a hub process's standard output and error to its log file, one file for every start
/// of the hub. It keeps the last lines of the current start, so an error about a hub that did
/// not come up can show why.
/// </summary>
public sealed class HubProcessOutput : IDisposable
{
    private const int TailLength = 20;

    private readonly StreamWriter _writer;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    public HubProcessOutput(string file)
    {
        File = Path.GetFullPath(file);
        _writer = new StreamWriter(new FileStream(File, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public string File { get; }

    /// <summary>Copies the lines <paramref name="process"/> writes; call before it starts.</summary>
    public void Attach(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);

        process.OutputDataReceived += (_, line) => Write(line.Data);
        process.ErrorDataReceived += (_, line) => Write(line.Data);
    }

    /// <summary>Writes a separator line for a new start of the hub and clears the previous start's lines.</summary>
    public void BeginStart(int processId)
    {
        lock (_gate)
        {
            _tail.Clear();
        }

        Write(FormattableString.Invariant($"--- hub process {processId} started at {DateTimeOffset.UtcNow:O} ---"));
    }

    /// <summary>The last lines of the current start, oldest first.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return _tail.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _tail);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }

    // The process raises a null line at the end of each stream. Lines arriving after Dispose
    // come from a hub that is being killed, and are dropped.
    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _writer.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > TailLength)
            {
                _tail.Dequeue();
            }
        }
    }
}
