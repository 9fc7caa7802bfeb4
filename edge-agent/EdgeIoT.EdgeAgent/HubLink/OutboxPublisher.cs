using System.Globalization;
using System.Threading.Channels;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// Sends the outbox to the hub at QoS 1, oldest first and several events in flight at a time,
/// and removes each event only after its PUBACK. An event the hub rejects is retried on the
/// next pass, and after the set number of rejections it moves to the outbox's dead-letter
/// table with an alarm, so it never blocks the events behind it. It wakes on every append and every reconnect,
/// and polls as a safety net.
/// </summary>
public sealed partial class OutboxPublisher
{
    /// <summary>Hub rejections of one event before it moves to the dead-letter table.</summary>
    public const int DefaultMaxRejections = 5;

    private const int BatchSize = 200;

    /// <summary>Events published before the first PUBACK is awaited.</summary>
    private const int MaxInFlight = 50;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly EventOutbox _outbox;
    private readonly HubConnection _hub;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly int _maxRejections;
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public OutboxPublisher(
        EventOutbox outbox,
        HubConnection hub,
        TimeProvider? timeProvider = null,
        ILogger<OutboxPublisher>? logger = null,
        int maxRejections = DefaultMaxRejections)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRejections, 1);

        _outbox = outbox;
        _hub = hub;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _maxRejections = maxRejections;
        _outbox.Appended += (_, _) => _wakeUp.Writer.TryWrite(true);
        _hub.Connected += (_, _) => _wakeUp.Writer.TryWrite(true);
    }

    /// <summary>Publishes until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            bool drained = await PublishPendingAsync(cancellationToken);
            if (drained)
            {
                await WaitForWorkAsync(PollInterval, cancellationToken);
            }
            else
            {
                await Task.Delay(RetryDelay, _timeProvider, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Waits until the outbox is empty or <paramref name="timeout"/> passes; returns whether it
    /// drained. Used on shutdown while <see cref="RunAsync"/> keeps publishing.
    /// </summary>
    public async Task<bool> WaitUntilDrainedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long start = _timeProvider.GetTimestamp();
        while (_outbox.Depth > 0 && _hub.IsConnected)
        {
            if (_timeProvider.GetElapsedTime(start) >= timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), _timeProvider, cancellationToken);
        }

        return _outbox.Depth == 0;
    }

    /// <summary>
    /// Publishes one pass over the outbox, oldest first. Returns true when everything was sent or
    /// the hub is away, false when an event was rejected or not delivered, so the caller waits
    /// before the next pass. A rejected event does not stop the pass, so it never holds up the
    /// events behind it.
    /// </summary>
    private async Task<bool> PublishPendingAsync(CancellationToken cancellationToken)
    {
        long afterSeq = 0;
        bool rejectedAny = false;
        while (_hub.IsConnected)
        {
            IReadOnlyList<OutboxEntry> batch = _outbox.ReadPending(afterSeq, BatchSize);
            if (batch.Count == 0)
            {
                return !rejectedAny;
            }

            for (int start = 0; start < batch.Count; start += MaxInFlight)
            {
                WindowResult window = await PublishWindowAsync(batch, start, cancellationToken);
                if (window.Undelivered)
                {
                    return !_hub.IsConnected;
                }

                rejectedAny |= window.Rejected;
            }

            afterSeq = batch[^1].Seq;
            _logger.LogDebug("Published {Count} events; {Depth} left in the outbox", batch.Count, _outbox.Depth);
        }

        return true;
    }

    /// <summary>
    /// Publishes up to <see cref="MaxInFlight"/> events at once, so their round trips and the
    /// hub's commits overlap, then removes the acknowledged ones in one transaction and counts
    /// the rejected ones.
    /// </summary>
    private async Task<WindowResult> PublishWindowAsync(IReadOnlyList<OutboxEntry> batch, int start, CancellationToken cancellationToken)
    {
        int count = Math.Min(MaxInFlight, batch.Count - start);
        var publishes = new Task<EventPublishResult>[count];
        for (int i = 0; i < count; i++)
        {
            publishes[i] = _hub.PublishEventAsync(batch[start + i], cancellationToken);
        }

        EventPublishResult[] results = await Task.WhenAll(publishes);
        var done = new List<long>(count);
        bool rejected = false;
        bool undelivered = false;
        for (int i = 0; i < count; i++)
        {
            if (results[i].IsDelivered)
            {
                done.Add(batch[start + i].Seq);
            }
            else if (results[i].RejectionReason is string reason)
            {
                rejected = true;
                CountRejection(batch[start + i], reason);
            }
            else
            {
                undelivered = true;
            }
        }

        _outbox.Acknowledge(done);
        return new WindowResult(rejected, undelivered);
    }

    private void CountRejection(OutboxEntry entry, string reason)
    {
        int rejections = _outbox.RecordRejection(entry.Seq, reason, _maxRejections, out bool deadLettered);
        if (!deadLettered)
        {
            LogRejectionCounted(_logger, entry.Seq, rejections, _maxRejections, reason);
            return;
        }

        string eventId = string.Create(CultureInfo.InvariantCulture, $"{_outbox.DeviceId}:{entry.Seq}");
        LogDeadLettered(_logger, eventId, entry.Kind, rejections, reason, _outbox.DeadLetterCount);
        if (entry.Kind == EventKinds.Status)
        {
            // An alarm about a rejected status event could be rejected the same way, so
            // status events are dead-lettered with the log line only.
            return;
        }

        try
        {
            _outbox.Append(EventKinds.Status, (eventId, entry.Kind, rejections, reason), static (draft, d) => draft with
            {
                Detail = $"{StatusDetails.DeadLetter}: event {d.eventId} ({d.Kind}) moved aside after {d.rejections} hub rejections: {d.reason}",
            });
        }
        catch (Exception exception) when (exception is OutboxFullException or SqliteException)
        {
            _logger.LogError(exception, "Could not store the dead-letter alarm for event {EventId}", eventId);
        }
    }

    private async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _wakeUp.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed without a wake-up.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Hub rejected event {Seq} {Rejections} of {MaxRejections} times ({Reason}); the events behind it go on")]
    private static partial void LogRejectionCounted(ILogger logger, long seq, int rejections, int maxRejections, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Event {EventId} ({Kind}) moved to the dead-letter table after {Rejections} hub rejections ({Reason}); {DeadLetters} dead letters kept")]
    private static partial void LogDeadLettered(
        ILogger logger, string eventId, string kind, int rejections, string reason, int deadLetters);

    private readonly record struct WindowResult(bool Rejected, bool Undelivered);
}
