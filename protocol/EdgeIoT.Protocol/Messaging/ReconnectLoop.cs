namespace EdgeIoT.Protocol.Messaging;

/// <summary>
/// Keeps one MQTT client connected: it waits <see cref="ReconnectSchedule.FirstDelay"/>, tries to
/// connect, backs off after each failure and, once connected, waits for the connection to drop
/// before it starts over. The transport stays with the caller, so the edge agent and the
/// virtual ESP32 share one loop over their own MQTTnet clients.
/// </summary>
public sealed class ReconnectLoop
{
    private readonly ReconnectSchedule _schedule;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;

    /// <param name="random">Source of the jitter; <see cref="Random.Shared"/> when null. Tests pass a seeded one.</param>
    public ReconnectLoop(ReconnectSchedule schedule, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        schedule.Validate();

        _schedule = schedule;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
    }

    /// <summary>Raised before each back-off wait with the number of failed attempts and the delay.</summary>
    public event EventHandler<ReconnectScheduledEventArgs>? RetryScheduled;

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, which throws
    /// <see cref="OperationCanceledException"/>. <paramref name="tryConnectAsync"/> returns false
    /// on a failed attempt and must not throw for network errors.
    /// <paramref name="waitForDisconnectAsync"/> completes when an established connection is lost.
    /// </summary>
    public async Task RunAsync(
        Func<CancellationToken, Task<bool>> tryConnectAsync,
        Func<CancellationToken, Task> waitForDisconnectAsync,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tryConnectAsync);
        ArgumentNullException.ThrowIfNull(waitForDisconnectAsync);

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Delay(_schedule.FirstDelay(_random), _timeProvider, cancellationToken);
            await ConnectWithBackoffAsync(tryConnectAsync, cancellationToken);
            await waitForDisconnectAsync(cancellationToken);
        }
    }

    private async Task ConnectWithBackoffAsync(
        Func<CancellationToken, Task<bool>> tryConnectAsync, CancellationToken cancellationToken)
    {
        int failures = 0;
        while (!await tryConnectAsync(cancellationToken))
        {
            failures++;
            TimeSpan delay = _schedule.DelayAfter(failures, _random);
            RetryScheduled?.Invoke(this, new ReconnectScheduledEventArgs(failures, delay));
            await Task.Delay(delay, _timeProvider, cancellationToken);
        }
    }
}
