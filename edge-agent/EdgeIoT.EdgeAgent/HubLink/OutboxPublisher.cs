using System.Threading.Channels;
using EdgeIoT.EdgeAgent.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// Sends the outbox to the hub at QoS 1, oldest first and several events in flight at a time,
/// and removes each event only after its PUBACK. It wakes on every append and every reconnect,
/// and polls as a safety net.
/// </summary>
public sealed class OutboxPublisher
{
    private const int BatchSize = 200;

    /// <summary>Events published before the first PUBACK is awaited.</summary>
    private const int MaxInFlight = 50;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly EventOutbox _outbox;
    private readonly HubConnection _hub;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public OutboxPublisher(
        EventOutbox outbox, HubConnection hub, TimeProvider? timeProvider = null, ILogger<OutboxPublisher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(hub);

        _outbox = outbox;
        _hub = hub;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
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

    /// <summary>Returns true when everything was sent or the hub is away, false after a rejected publish.</summary>
    private async Task<bool> PublishPendingAsync(CancellationToken cancellationToken)
    {
        while (_hub.IsConnected)
        {
            IReadOnlyList<OutboxEntry> batch = _outbox.ReadPending(afterSeq: 0, BatchSize);
            if (batch.Count == 0)
            {
                return true;
            }

            bool allAcknowledged = true;
            for (int start = 0; start < batch.Count && allAcknowledged; start += MaxInFlight)
            {
                allAcknowledged = await PublishWindowAsync(batch, start, cancellationToken);
            }

            if (!allAcknowledged)
            {
                // NOTE: an event the hub keeps rejecting blocks the ones behind it. Each
                // retry logs the rejection, so the lane shows up in monitoring.
                return !_hub.IsConnected;
            }

            _logger.LogDebug("Published {Count} events; {Depth} left in the outbox", batch.Count, _outbox.Depth);
        }

        return true;
    }

    /// <summary>
    /// Publishes up to <see cref="MaxInFlight"/> events at once, so their round trips and the
    /// hub's commits overlap, then removes the acknowledged ones in one transaction. Returns
    /// whether every event of the window was acknowledged.
    /// </summary>
    private async Task<bool> PublishWindowAsync(IReadOnlyList<OutboxEntry> batch, int start, CancellationToken cancellationToken)
    {
        int count = Math.Min(MaxInFlight, batch.Count - start);
        var publishes = new Task<bool>[count];
        for (int i = 0; i < count; i++)
        {
            publishes[i] = _hub.PublishEventAsync(batch[start + i], cancellationToken);
        }

        bool[] acknowledged = await Task.WhenAll(publishes);
        var done = new List<long>(count);
        for (int i = 0; i < count; i++)
        {
            if (acknowledged[i])
            {
                done.Add(batch[start + i].Seq);
            }
        }

        _outbox.Acknowledge(done);
        return done.Count == count;
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
}
