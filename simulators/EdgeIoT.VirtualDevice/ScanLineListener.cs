using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.VirtualDevice;

/// <summary>
/// Scanner input for the separate-process mode: a TCP listener on 127.0.0.1 that takes one
/// scan per line, and an optional inbox folder whose *.txt files are read line by line and
/// then deleted. With a decide function, each TCP line gets one <see cref="ScanFeedbackLine"/>
/// back on its connection, and with <see cref="Status"/> every connection also receives a
/// status line each <see cref="StatusInterval"/>, as a lane display would show them.
/// </summary>
public sealed partial class ScanLineListener : IAsyncDisposable
{
    private static readonly TimeSpan InboxPollInterval = TimeSpan.FromMilliseconds(200);

    private readonly Func<string, ScanFeedbackLine?> _decide;
    private readonly ILogger _logger;
    private readonly TcpListener _listener;
    private readonly string? _inbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    /// <summary>Creates a listener that submits each line and writes nothing back.</summary>
    public ScanLineListener(int port, string? inboxDirectory, Action<string> submit, ILogger logger)
        : this(port, inboxDirectory, line => Submit(submit, line), logger)
    {
    }

    /// <summary>
    /// Creates a listener that passes each line to <paramref name="decide"/> and writes the
    /// line it returns back to the TCP connection the scan came from. A null return writes nothing.
    /// </summary>
    public ScanLineListener(int port, string? inboxDirectory, Func<string, ScanFeedbackLine?> decide, ILogger logger)
    {
        _decide = decide;
        _logger = logger;
        _inbox = inboxDirectory;
        _listener = new TcpListener(IPAddress.Loopback, port);
    }

    /// <summary>Port the listener bound, useful when 0 asked the OS to choose.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Source of the status lines sent to each TCP connection, or null for none.</summary>
    /// <remarks>
    /// NOTE: a client that never reads stalls its own connection once the socket's send buffer
    /// is full, and then its scans are no longer read either. Enable status lines only for
    /// clients that read them.
    /// </remarks>
    public Func<ScanFeedbackLine?>? Status { get; init; }

    /// <summary>Time between two status lines on one connection.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public void Start()
    {
        _listener.Start();
        _loops.Add(Task.Run(() => AcceptLoopAsync(_stop.Token)));
        if (_inbox is not null)
        {
            Directory.CreateDirectory(_inbox);
            _loops.Add(Task.Run(() => InboxLoopAsync(_inbox, _stop.Token)));
        }

        LogListening(_logger, Port, _inbox ?? "(none)");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(cancellationToken);
            _ = Task.Run(() => ReadLinesAsync(client, cancellationToken), cancellationToken);
        }
    }

    private async Task ReadLinesAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        using (var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            NetworkStream stream = client.GetStream();
            using var reader = new StreamReader(stream);
            using var writer = new FeedbackWriter(stream);
            Task statusLoop = Status is { } status
                ? Task.Run(() => StatusLoopAsync(writer, status, connection.Token), connection.Token)
                : Task.CompletedTask;
            try
            {
                while (await reader.ReadLineAsync(cancellationToken) is string line)
                {
                    if (_decide(line) is { } feedback)
                    {
                        await writer.WriteAsync(feedback, cancellationToken);
                    }
                }
            }
            catch (IOException exception)
            {
                LogConnectionFailed(_logger, exception.Message);
            }
            finally
            {
                await connection.CancelAsync();
                await statusLoop.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task StatusLoopAsync(FeedbackWriter writer, Func<ScanFeedbackLine?> status, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(StatusInterval);
        try
        {
            do
            {
                if (status() is { } line)
                {
                    await writer.WriteAsync(line, cancellationToken);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (IOException exception)
        {
            LogConnectionFailed(_logger, exception.Message);
        }
    }

    private static ScanFeedbackLine? Submit(Action<string> submit, string line)
    {
        submit(line);
        return null;
    }

    private async Task InboxLoopAsync(string inbox, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(InboxPollInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            foreach (string file in Directory.GetFiles(inbox, "*.txt").Order(StringComparer.Ordinal))
            {
                string[] lines;
                try
                {
                    lines = await File.ReadAllLinesAsync(file, cancellationToken);
                    File.Delete(file);
                }
                catch (IOException exception)
                {
                    // The writer may still hold the file; the next poll tries again.
                    LogInboxReadFailed(_logger, file, exception.Message);
                    continue;
                }

                foreach (string line in lines.Where(l => l.Length > 0))
                {
                    _decide(line);
                }
            }
        }
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Scanner input on 127.0.0.1:{Port}, inbox {Inbox}")]
    private static partial void LogListening(ILogger logger, int port, string inbox);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Scanner connection failed: {Error}")]
    private static partial void LogConnectionFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Debug, Message = "Inbox file {File} not readable yet: {Error}")]
    private static partial void LogInboxReadFailed(ILogger logger, string file, string error);
}
