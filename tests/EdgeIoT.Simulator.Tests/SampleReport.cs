using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

/// <summary>A small hand-made report for checking metrics without running an event.</summary>
public static class SampleReport
{
    public static EventReport With(int admitted, int doubleAdmits) => new()
    {
        Scenario = "sample",
        GuestList = new GuestListSummary("guests.csv", 100, 0, []),
        Decisions = new DecisionSummary(
            admitted + 3, admitted, 3, new Dictionary<string, int> { ["bad_signature"] = 3 },
            new Dictionary<string, int> { ["guest"] = admitted }, Unreadable: 1, Undecided: 0),
        Offline = new OfflineSummary(0, new Dictionary<string, int>()),
        Latency = new Dictionary<string, LatencySummary> { ["agent"] = new(admitted, 5, 20, 40, 90) },
        Queues = new QueueSummary(new Dictionary<string, long> { ["checkIns"] = 7 }, 3),
        Reconciliation = new ReconciliationSummary(admitted, admitted, 0, 0, 0, []),
        Disputes = new DisputeSummary(doubleAdmits, new Dictionary<string, int> { ["double_admit"] = doubleAdmits }),
        WalkIns = new WalkInSummary(0, 0, 0, 0, 0, 0),
        Outages = [],
        Faults = [],
        OfflinePeriods = [],
        Gates = new GateSummary(0, 0, 0, 0),
        BadActors = new BadActorSummary(new Dictionary<string, int>(), new Dictionary<string, int>()),
        DecisionDigest = "",
        Timeline = [],
        QueueSamples = [],
        DeviceQueueSamples = [],
        Expectations = [],
        Failures = [],
    };
}
