using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hub.Tests;

/// <summary>Collects every log entry of a hub so tests can assert on warnings and on the absence of errors.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IEnumerable<LogEntry> AtLeast(LogLevel level) => _entries.Where(entry => entry.Level >= level);

    /// <summary>
    /// Waits up to 10 s for an entry that matches. A service often logs just after the change a
    /// test waits for (a database row, a status field), so the entry can lag behind it.
    /// </summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            LogEntry? found = _entries.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("No matching log entry within 10 s.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception), exception));
        }
    }
}
