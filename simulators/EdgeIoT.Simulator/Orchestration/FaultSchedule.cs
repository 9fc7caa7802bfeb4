using System.Diagnostics;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>Cuts and heals links at fixed points of the arrival window and records when.</summary>
public sealed class FaultSchedule
{
    private readonly List<(FaultProxy Link, TimeSpan Start, TimeSpan End)> _outages = [];
    private readonly List<OutageRecord> _happened = [];

    public IReadOnlyList<OutageRecord> Outages => _happened;

    public void Add(FaultProxy link, TimeSpan start, TimeSpan end) => _outages.Add((link, start, end));

    public async Task RunAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        var steps = _outages
            .SelectMany(o => new[] { (At: o.Start, o.Link, Cut: true), (At: o.End, o.Link, Cut: false) })
            .OrderBy(step => step.At)
            .ToList();
        var cutAt = new Dictionary<FaultProxy, TimeSpan>();
        foreach ((TimeSpan at, FaultProxy link, bool cut) in steps)
        {
            TimeSpan wait = at - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            if (cut)
            {
                link.Partition();
                cutAt[link] = clock.Elapsed;
            }
            else
            {
                HealAndRecord(link, cutAt, clock.Elapsed);
            }
        }
    }

    /// <summary>Heals every link still cut, for the drain phase.</summary>
    public void HealAll(TimeSpan now)
    {
        foreach ((FaultProxy link, _, _) in _outages.Where(o => o.Link.IsPartitioned))
        {
            link.Heal();
            _happened.Add(new OutageRecord(link.Name, now.TotalSeconds, now.TotalSeconds));
        }
    }

    private void HealAndRecord(FaultProxy link, Dictionary<FaultProxy, TimeSpan> cutAt, TimeSpan now)
    {
        link.Heal();
        TimeSpan start = cutAt.GetValueOrDefault(link, now);
        _happened.Add(new OutageRecord(link.Name, start.TotalSeconds, now.TotalSeconds));
    }
}
