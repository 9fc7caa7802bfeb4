using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Logging;

/// <summary>
/// Writes every service's log to one file, so a simulated event keeps its console for the
/// progress display and the report while the full log stays available for investigation.
/// </summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly BlockingCollection<string> _lines = new(boundedCapacity: 100_000);
    private readonly Thread _writer;
    private readonly StreamWriter _file;
    private readonly LogLevel _minimumLevel;
    private long _dropped;

    public FileLoggerProvider(string path, LogLevel minimumLevel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _file = new StreamWriter(path, append: true) { AutoFlush = false };
        _minimumLevel = minimumLevel;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "simulation log writer" };
        _writer.Start();
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        _lines.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(5));
        if (_dropped > 0)
        {
            _file.WriteLine($"{_dropped} log lines were dropped because the log writer fell behind.");
        }

        _file.Dispose();
        _lines.Dispose();
    }

    private void Enqueue(string line)
    {
        // Logging must never slow a gate down: when the writer falls behind, count and drop.
        if (!_lines.TryAdd(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private void WriteLoop()
    {
        foreach (string line in _lines.GetConsumingEnumerable())
        {
            _file.WriteLine(line);
            if (_lines.Count == 0)
            {
                _file.Flush();
            }
        }

        _file.Flush();
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimumLevel;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string time = DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            string line = $"{time} {Level(logLevel)} {category}[{eventId.Id}] {formatter(state, exception)}";
            if (exception != null)
            {
                line += Environment.NewLine + exception;
            }

            provider.Enqueue(line);
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
