using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hardware.Tests;

/// <summary>Collects log entries so a test can await one or check that none was an error.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> _entries = new();

    public event Action<LogLevel, EventId>? Logged;

    public IReadOnlyList<(LogLevel Level, EventId EventId, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _entries.Enqueue((logLevel, eventId, formatter(state, exception)));
        Logged?.Invoke(logLevel, eventId);
    }
}
