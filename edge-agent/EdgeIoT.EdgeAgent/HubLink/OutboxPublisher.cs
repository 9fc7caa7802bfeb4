using System.Threading.Channels;
using EdgeIoT.EdgeAgent.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// Sends the outbox to the hub in sequence order at QoS 1 and removes each event only after
/// its PUBACK. It wakes on every append and every reconnect, and polls as a safety net.
/// </summary>
public sealed class OutboxPublisher
{
    private const int BatchSize = 200;
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

            foreach (OutboxEntry entry in batch)
            {
                if (!await _hub.PublishEventAsync(entry, cancellationToken))
                {
                    // NOTE: an event the hub keeps rejecting blocks the ones behind it. Each
                    // retry logs the rejection, so the lane shows up in monitoring.
                    return !_hub.IsConnected;
                }

                _outbox.Acknowledge(entry.Seq);
            }

            _logger.LogDebug("Published {Count} events; {Depth} left in the outbox", batch.Count, _outbox.Depth);
        }

        return true;
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
