using System.Net;
using System.Text;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Ledger;

/// <summary>
/// Pushes the reconciliation queue to the ledger in strict lane order (payments, entitlements,
/// check-ins, telemetry) with POST {BaseUrl}/v1/batches. Events stay queued until the ledger
/// responds 200. An outage is logged once and retried with jittered backoff. A batch the ledger
/// rejects (4xx) is retried one event at a time. Each rejected event then waits out its own
/// growing delay while the rest of its lane goes ahead, and after MaxRejections it moves to the
/// dead-letter table. Events that the ledger lists as invalid in its "rejected" array move to
/// the dead-letter table at once. A batch that times out or is too large for the ledger (413)
/// halves the batch size, so a slow ledger still makes progress. The size doubles back towards
/// BatchSize after <see cref="SuccessesBeforeGrowing"/> full batches in a row.
/// </summary>
public sealed partial class LedgerSyncService : BackgroundService
{
    public const string HttpClientName = "ledger";

    private const int SuccessesBeforeGrowing = 8;

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    private readonly ReconciliationStore _queue;
    private readonly EventWriter _events;
    private readonly LedgerSyncStatus _status;
    private readonly IHttpClientFactory _httpClients;
    private readonly HubOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerSyncService> _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private CancellationTokenSource? _pause;
    private TimeSpan _delay;
    private bool _inOutage;
    private int _outageRetries;
    private int _isolateRemaining;
    private int _batchLimit;
    private int _fullBatchesAtLimit;

    public LedgerSyncService(
        ReconciliationStore queue,
        EventWriter events,
        LedgerSyncStatus status,
        IHttpClientFactory httpClients,
        HubOptions options,
        TimeProvider time,
        ILogger<LedgerSyncService> logger)
    {
        _queue = queue;
        _events = events;
        _status = status;
        _httpClients = httpClients;
        _options = options;
        _time = time;
        _logger = logger;
        _delay = options.Ledger.RetryDelay;
        _batchLimit = options.Ledger.BatchSize;
    }

    /// <summary>Maximum events in the next batch: BatchSize, or less after a timeout or a 413.</summary>
    public int BatchLimit => Volatile.Read(ref _batchLimit);

    private string HubId => _options.Ledger.HubId ?? _options.Venue;

    public override void Dispose()
    {
        // A power-loss stop disposes the host without waiting for ExecuteAsync to finish, so
        // the event writer may still be committing its last group.
        _events.Appended -= Wake;
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _events.Appended += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                IReadOnlyList<QueuedEvent> batch = _queue.NextBatch(
                    _isolateRemaining > 0 ? 1 : _batchLimit, _time.GetUtcNow().ToUnixTimeMilliseconds());
                if (batch.Count == 0)
                {
                    await _wake.WaitAsync(IdlePoll, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                TimeSpan? pause;
                try
                {
                    pause = await PushAsync(batch, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The push loop must outlive any single failure. Nothing leaves the queue until
                    // the ledger confirms it, and the ledger ignores events it already has, so a
                    // later retry can neither lose nor double an event.
                    LogPushFailed(exception);
                    pause = _options.Ledger.MaxRetryDelay;
                }

                if (batch.Count == 1 && _isolateRemaining > 0)
                {
                    _isolateRemaining--;
                }

                if (pause is TimeSpan wait)
                {
                    await PauseAsync(wait, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: unsent events stay queued in SQLite for the next start.
        }
        finally
        {
            _events.Appended -= Wake;
        }
    }

    /// <summary>
    /// Starts a push now: wakes the idle loop and cuts a retry pause short, as the operator's
    /// push command asks after the ledger link came back.
    /// </summary>
    public void RequestPush()
    {
        Wake();
        try
        {
            Volatile.Read(ref _pause)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The pause ended while the request arrived; the loop is already pushing.
        }
    }

    private async Task PauseAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var pause = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Volatile.Write(ref _pause, pause);
        try
        {
            await Task.Delay(wait, _time, pause.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // RequestPush ended the pause early.
        }
        finally
        {
            Volatile.Write(ref _pause, null);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another append already woke the loop.
            }
            catch (ObjectDisposedException)
            {
                // Stopped: the events stay queued in SQLite for the next start.
            }
        }
    }

    /// <summary>Sends one batch; returns how long to wait before the next attempt, or null to go on at once.</summary>
    private async Task<TimeSpan?> PushAsync(IReadOnlyList<QueuedEvent> batch, CancellationToken stoppingToken)
    {
        HttpStatusCode? status = null;
        bool timedOut = false;
        string error;
        try
        {
            using HttpResponseMessage response = await SendAsync(batch, stoppingToken).ConfigureAwait(false);
            status = response.StatusCode;
            string body = await response.Content.ReadAsStringAsync(stoppingToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                OnAccepted(batch, LedgerRejections.Parse(body, batch));
                return null;
            }

            if (response.StatusCode == HttpStatusCode.UnprocessableEntity
                && LedgerRejections.Parse(body, batch) is { Count: > 0 } invalid)
            {
                // Every event of the batch is invalid, and a retry cannot make it valid.
                OnAccepted(batch, invalid);
                return null;
            }

            error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(body)}";
        }
        catch (HttpRequestException exception)
        {
            error = exception.Message;
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException)
        {
            // A connection reset while it is being set up can surface unwrapped
            // (seen as SocketException 107 from Socket.RemoteEndPoint on Linux).
            error = exception.Message;
        }
        catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = $"timed out after {_options.Ledger.RequestTimeout.TotalSeconds:0.#} s";
            timedOut = true;
        }

        if (status == HttpStatusCode.RequestEntityTooLarge && batch.Count > 1)
        {
            // The ledger's own batch limit is below ours, and nothing is wrong with the events.
            ShrinkBatch(batch.Count, error);
            return null;
        }

        if (timedOut && batch.Count > 1)
        {
            // The ledger rolls back the insert of an aborted request, so the same batch would
            // time out again. A smaller one can fit in the timeout.
            ShrinkBatch(batch.Count, error);
        }

        int code = status is null ? 0 : (int)status.Value;
        return code is >= 400 and < 500 ? OnRejected(batch, error) : OnUnavailable(error);
    }

    private async Task<HttpResponseMessage> SendAsync(IReadOnlyList<QueuedEvent> batch, CancellationToken stoppingToken)
    {
        HttpClient client = _httpClients.CreateClient(HttpClientName);
        var uri = new Uri(new Uri(_options.Ledger.BaseUrl.TrimEnd('/') + "/"), "v1/batches");
        using var content = new StringContent(BuildBody(batch), Encoding.UTF8, "application/json");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.Ledger.RequestTimeout);
        return await client.PostAsync(uri, content, timeout.Token).ConfigureAwait(false);
    }

    private string BuildBody(IReadOnlyList<QueuedEvent> batch)
    {
        // The stored JSON is already the wire form of each EdgeEvent, so it is spliced in as is.
        var body = new StringBuilder(64 + (batch.Count * 512));
        body.Append("{\"hubId\":").Append(System.Text.Json.JsonSerializer.Serialize(HubId)).Append(",\"events\":[");
        for (int i = 0; i < batch.Count; i++)
        {
            body.Append(i == 0 ? string.Empty : ",").Append(batch[i].Json);
        }

        return body.Append("]}").ToString();
    }

    private void OnAccepted(IReadOnlyList<QueuedEvent> batch, IReadOnlyList<(QueuedEvent Event, string Error)> invalid)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var invalidRows = invalid.Select(item => item.Event.RowId).ToHashSet();
        _queue.MarkSent(batch.Where(queued => !invalidRows.Contains(queued.RowId)).ToList(), now);
        _queue.MarkDead(invalid, now);
        foreach ((QueuedEvent queued, string error) in invalid)
        {
            LogInvalidAtLedger(queued.EventId, error);
        }

        _status.RecordSuccess(now, batch.Count - invalid.Count);
        if (_inOutage)
        {
            LogRecovered(_outageRetries);
        }

        LogBatchSent(batch.Count, batch[0].Lane);
        GrowBatch(batch.Count);
        _inOutage = false;
        _outageRetries = 0;
        _delay = _options.Ledger.RetryDelay;
    }

    private TimeSpan? OnRejected(IReadOnlyList<QueuedEvent> batch, string error)
    {
        _status.RecordFailure(error, reachable: true, _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (batch.Count > 1)
        {
            // Without knowing which event the ledger objects to, retry one by one and count each.
            LogBatchRejected(batch.Count, error);
            _isolateRemaining = batch.Count;
            return null;
        }

        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (string eventId in _queue.RecordRejection(batch, error, _options.Ledger.MaxRejections, now, RejectionDelay))
        {
            LogDeadLettered(eventId, _options.Ledger.MaxRejections, error);
        }

        // The rejected event waits out its own delay in the queue, and the events behind it go on now.
        return null;
    }

    /// <summary>Returns the wait before the next attempt of an event the ledger rejected <paramref name="rejections"/> times.</summary>
    private TimeSpan RejectionDelay(int rejections)
    {
        double factor = Math.Pow(2, Math.Min(rejections - 1, 20));
        long ticks = (long)Math.Min(_options.Ledger.RetryDelay.Ticks * factor, _options.Ledger.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks(ticks);
    }

    private void ShrinkBatch(int sent, string error)
    {
        int smaller = Math.Max(1, sent / 2);
        Volatile.Write(ref _batchLimit, smaller);
        _fullBatchesAtLimit = 0;
        LogBatchShrunk(sent, error, smaller);
    }

    private void GrowBatch(int sent)
    {
        if (_batchLimit >= _options.Ledger.BatchSize || sent < _batchLimit)
        {
            return;
        }

        if (++_fullBatchesAtLimit >= SuccessesBeforeGrowing)
        {
            Volatile.Write(ref _batchLimit, Math.Min(_options.Ledger.BatchSize, _batchLimit * 2));
            _fullBatchesAtLimit = 0;
        }
    }

    private TimeSpan OnUnavailable(string error)
    {
        _status.RecordFailure(error, reachable: false, _time.GetUtcNow().ToUnixTimeMilliseconds());
        _outageRetries++;
        if (!_inOutage)
        {
            _inOutage = true;
            LogOutage(_options.Ledger.BaseUrl, error);
        }

        return Backoff();
    }

    private TimeSpan Backoff()
    {
        TimeSpan current = _delay;
        _delay = TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, _options.Ledger.MaxRetryDelay.Ticks));

        // Up to 25 % random jitter keeps many hubs from retrying in lockstep after an outage.
        double jitter = 1 + (Random.Shared.NextDouble() * 0.25);
        return TimeSpan.FromTicks((long)(current.Ticks * jitter));
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning,
        Message = "Ledger at {BaseUrl} is unreachable ({Error}); events stay queued and the push is retried with backoff")]
    private partial void LogOutage(string baseUrl, string error);

    [LoggerMessage(EventId = 1707, Level = LogLevel.Error,
        Message = "Pushing to the ledger failed unexpectedly; the events stay queued and the push is retried")]
    private partial void LogPushFailed(Exception exception);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "Ledger reachable again after {Retries} retries")]
    private partial void LogRecovered(int retries);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Debug, Message = "Sent {Count} events of lane {Lane} to the ledger")]
    private partial void LogBatchSent(int count, int lane);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning,
        Message = "Ledger rejected a batch of {Count} events ({Error}); retrying them one by one")]
    private partial void LogBatchRejected(int count, string error);

    [LoggerMessage(EventId = 1706, Level = LogLevel.Error,
        Message = "Ledger rejected event {EventId} as invalid ({Error}); it moved to the dead-letter state")]
    private partial void LogInvalidAtLedger(string eventId, string error);

    [LoggerMessage(EventId = 1708, Level = LogLevel.Warning,
        Message = "A batch of {Count} events failed at the ledger ({Error}); the next batches contain at most {BatchLimit} events")]
    private partial void LogBatchShrunk(int count, string error, int batchLimit);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Error,
        Message = "Event {EventId} moved to the dead-letter state after {Rejections} ledger rejections; last error: {Error}")]
    private partial void LogDeadLettered(string eventId, int rejections, string error);
}
