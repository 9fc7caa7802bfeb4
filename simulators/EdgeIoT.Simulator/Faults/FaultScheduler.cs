using System.Diagnostics;
using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Reporting;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Faults;

/// <summary>
/// Starts and ends the scenario's faults at their points of the arrival window and records
/// when each happened. Faults still active when the crowd has left end before the drain.
/// </summary>
public sealed class FaultScheduler(FaultTargets targets, ILogger logger)
{
    private readonly List<FaultRecord> _records = [];
    private readonly List<OutageRecord> _outages = [];
    private readonly Dictionary<FaultSpec, (TimeSpan Started, string? Detail)> _active = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _gate = new();

    /// <summary>Every fault that started, in start order; ended ones have their end time.</summary>
    public IReadOnlyList<FaultRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records.OrderBy(r => r.StartSecond)];
            }
        }
    }

    /// <summary>Periods in which a link or a device was cut off, for the chart bands.</summary>
    public IReadOnlyList<OutageRecord> Outages
    {
        get
        {
            lock (_gate)
            {
                return [.. _outages.OrderBy(o => o.StartSecond)];
            }
        }
    }

    /// <summary>Adds a scheduled event that is not a fault (a key rotation) to the record.</summary>
    public void Note(string kind, double second, string detail)
    {
        lock (_gate)
        {
            _records.Add(new FaultRecord(kind, null, second, second, detail));
        }
    }

    /// <summary>
    /// Runs each fault on its own timeline, so a slow step, such as a lane that takes seconds
    /// to power on, does not hold back a later fault of another target.
    /// </summary>
    public Task RunAsync(
        IReadOnlyList<FaultSpec> faults, TimeSpan window, Stopwatch clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(faults);

        return Task.WhenAll(faults.Select(fault => RunOneAsync(fault, window, clock, cancellationToken)));
    }

    private async Task RunOneAsync(FaultSpec fault, TimeSpan window, Stopwatch clock, CancellationToken cancellationToken)
    {
        await DelayUntilAsync(window * fault.At, clock, cancellationToken);
        await StartAsync(fault, clock, cancellationToken);
        if (fault.Until is { } until)
        {
            await DelayUntilAsync(window * until, clock, cancellationToken);
            await EndAsync(fault, clock.Elapsed, cancellationToken);
        }
    }

    private static async Task DelayUntilAsync(TimeSpan at, Stopwatch clock, CancellationToken cancellationToken)
    {
        TimeSpan wait = at - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>Ends every fault still active, for the drain phase.</summary>
    public async Task EndAllAsync(TimeSpan now, CancellationToken cancellationToken)
    {
        List<FaultSpec> active;
        lock (_gate)
        {
            active = [.. _active.Keys];
        }

        foreach (FaultSpec fault in active)
        {
            await EndAsync(fault, now, cancellationToken);
        }
    }

    /// <summary>
    /// Starts <paramref name="fault"/> and records it from the moment its action completed: a
    /// lane's power cut waits for the guest at the gate, so the kill can come seconds after
    /// the scheduled point, and the report shows when the lane really went dark.
    /// </summary>
    private async Task StartAsync(FaultSpec fault, Stopwatch clock, CancellationToken cancellationToken)
    {
        logger.LogInformation("Fault {Fault} starts at {Second:F1} s", fault.Describe(), clock.Elapsed.TotalSeconds);
        string? detail = await FaultActions.StartAsync(fault, targets, cancellationToken);
        TimeSpan now = clock.Elapsed;
        lock (_gate)
        {
            if (fault.Until is null)
            {
                _records.Add(new FaultRecord(FaultKinds.ToName(fault.Kind), fault.Target, now.TotalSeconds, now.TotalSeconds, detail));
            }
            else
            {
                _active[fault] = (now, detail);
            }
        }
    }

    private async Task EndAsync(FaultSpec fault, TimeSpan now, CancellationToken cancellationToken)
    {
        (TimeSpan Started, string? Detail) active;
        lock (_gate)
        {
            if (!_active.Remove(fault, out active))
            {
                return;
            }
        }

        string? endDetail = await FaultActions.EndAsync(fault, targets, cancellationToken);
        logger.LogInformation("Fault {Fault} ended at {Second:F1} s", fault.Describe(), now.TotalSeconds);
        string name = FaultKinds.ToName(fault.Kind);
        string? detail = JoinDetails(active.Detail, endDetail);
        TimeSpan started = active.Started;
        lock (_gate)
        {
            _records.Add(new FaultRecord(name, fault.Target, started.TotalSeconds, now.TotalSeconds, detail));
            if (fault.Kind is FaultKind.Partition or FaultKind.Drop or FaultKind.PowerLoss or FaultKind.HubPowerLoss)
            {
                _outages.Add(new OutageRecord(OutageName(fault), started.TotalSeconds, now.TotalSeconds));
            }
        }
    }

    // A fault with a duration reports what its start did and what its end did, such as the
    // killed and the restarted hub process.
    private static string? JoinDetails(string? start, string? end) =>
        start is null || end is null ? start ?? end : $"{start}; {end}";

    private static string OutageName(FaultSpec fault) => fault.Kind switch
    {
        FaultKind.HubPowerLoss => "hub power",
        FaultKind.PowerLoss => $"{fault.Target} power",
        FaultKind.Drop => $"{fault.Target} (dropping)",
        _ => fault.Target == FaultSpec.HubLedgerLink ? "hub-ledger" : $"{fault.Target}-hub",
    };
}
