using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Tests;

/// <summary>The queue at a lane: guests in arrival order, a power cut right after the guest at the gate.</summary>
public sealed class GuestTurnsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PowerCut_GoesAheadOfQueueingGuests()
    {
        var turns = new GuestTurns();
        var order = new List<string>();
        await turns.WaitAsync(CancellationToken.None);
        Task first = TakeAsync(turns.WaitAsync(CancellationToken.None), "guest 1");
        Task second = TakeAsync(turns.WaitAsync(CancellationToken.None), "guest 2");
        Task cut = TakeAsync(turns.WaitAheadOfQueueAsync(), "power cut");

        turns.Release();
        await Task.WhenAll(first, second, cut).WaitAsync(Wait);

        Assert.Equal(["power cut", "guest 1", "guest 2"], order);

        async Task TakeAsync(Task turn, string who)
        {
            await turn;
            order.Add(who);
            turns.Release();
        }
    }

    [Fact]
    public async Task CancelledGuest_LeavesQueue()
    {
        var turns = new GuestTurns();
        using var leaving = new CancellationTokenSource();
        await turns.WaitAsync(CancellationToken.None);
        Task gone = turns.WaitAsync(leaving.Token);
        Task next = turns.WaitAsync(CancellationToken.None);

        await leaving.CancelAsync();
        turns.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone.WaitAsync(Wait));
        await next.WaitAsync(Wait);
    }

    [Fact]
    public async Task Present_NoDecision_Undecided()
    {
        var turns = new GuestTurns();
        Task<LaneDecision?> guest = turns.PresentAsync(() => Task.CompletedTask, null, CancellationToken.None);

        LaneDecision? decision = await guest.WaitAsync(GuestTurns.DecisionTimeout + Wait);

        Assert.Null(decision);
        await turns.WaitAsync(CancellationToken.None).WaitAsync(Wait);
    }
}
