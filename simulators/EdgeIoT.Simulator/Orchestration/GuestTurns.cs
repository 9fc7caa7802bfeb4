namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The queue at one lane: one guest at a time presents a credential and waits for the decision
/// that the lane reports through <see cref="Decide"/>. Work between guests takes a turn as
/// well: a sale waits in the queue, and a power cut goes ahead of the queue but never falls in
/// the middle of a guest's scan.
/// </summary>
public sealed class GuestTurns
{
    /// <summary>How long a guest waits for a decision before the visit counts as undecided.</summary>
    public static readonly TimeSpan DecisionTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _waiting = [];
    private bool _taken;
    private TaskCompletionSource<LaneDecision?>? _pending;

    /// <summary>
    /// Waits for the guest's turn, runs <paramref name="present"/> and returns the decision the
    /// lane reports, or null when none came within <see cref="DecisionTimeout"/>.
    /// <paramref name="afterDecision"/> runs while the guest still holds the turn, such as
    /// walking through the gate, so the next guest waits for it.
    /// </summary>
    public async Task<LaneDecision?> PresentAsync(
        Func<Task> present, Func<LaneDecision?, Task>? afterDecision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(present);

        await WaitAsync(cancellationToken);
        try
        {
            var pending = new TaskCompletionSource<LaneDecision?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending = pending;
            await present();
            LaneDecision? decision = await pending.Task.WaitAsync(DecisionTimeout, cancellationToken);
            if (afterDecision is not null)
            {
                await afterDecision(decision);
            }

            return decision;
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _pending = null;
            Release();
        }
    }

    /// <summary>Reports the device's decision, or null for an unreadable scan, to the guest waiting for it.</summary>
    public void Decide(LaneDecision? decision) => _pending?.TrySetResult(decision);

    /// <summary>Waits at the end of the queue and holds the turn until <see cref="Release"/>.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => Enter(aheadOfQueue: false, cancellationToken);

    /// <summary>
    /// Waits only for the guest at the lane, ahead of those queueing, and holds the turn until
    /// <see cref="Release"/>: a power cut strikes at its time, not after the whole queue.
    /// </summary>
    public Task WaitAheadOfQueueAsync() => Enter(aheadOfQueue: true, CancellationToken.None);

    /// <summary>
    /// Cuts a lane's power between two guests: waits for the guest at the gate, then runs
    /// <paramref name="cut"/>, which returns false when the power was already off. The turn
    /// stays taken until <see cref="RestorePowerAsync"/>, so no guest presents to a dark lane.
    /// </summary>
    public async Task CutPowerAsync(Func<Task<bool>> cut)
    {
        ArgumentNullException.ThrowIfNull(cut);

        await WaitAheadOfQueueAsync();
        if (!await cut())
        {
            Release();
        }
    }

    /// <summary>Runs <paramref name="restore"/> and gives the turn taken by <see cref="CutPowerAsync"/> back to the queue.</summary>
    public async Task RestorePowerAsync(Func<Task> restore)
    {
        ArgumentNullException.ThrowIfNull(restore);

        try
        {
            await restore();
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Gives the turn to the next in the queue.</summary>
    public void Release()
    {
        lock (_lock)
        {
            while (_waiting.First is { } next)
            {
                _waiting.RemoveFirst();
                if (next.Value.TrySetResult())
                {
                    return;
                }
            }

            _taken = false;
        }
    }

    private async Task Enter(bool aheadOfQueue, CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (!_taken)
            {
                _taken = true;
                return;
            }

            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = aheadOfQueue ? _waiting.AddFirst(turn) : _waiting.AddLast(turn);
        }

        using CancellationTokenRegistration leave = cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                // A cancelled wait leaves the queue, unless the turn was handed over already.
                if (node.List is not null && node.Value.TrySetCanceled(cancellationToken))
                {
                    _waiting.Remove(node);
                }
            }
        });
        await node.Value.Task;
    }
}
