using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Crowd;

/// <summary>
/// Turns the guest list and the scenario into a fixed list of visits. Everything random
/// comes from the scenario seed, so the same seed plans the same crowd.
/// </summary>
public static class CrowdPlan
{
    public static IReadOnlyList<Visit> Build(
        ScenarioOptions scenario, IReadOnlyList<EntitlementInfo> entitlements, int laneCount)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(entitlements);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(laneCount);

        var random = new Random(scenario.Seed);
        List<EntitlementInfo> guests = entitlements
            .Where(e => !e.Cancelled && e.Role == "guest" && e.OrderCode != null)
            .ToList();
        Shuffle(guests, random);
        int arriving = scenario.ArrivingGuests > 0 ? Math.Min(scenario.ArrivingGuests, guests.Count) : guests.Count;

        var kinds = new List<(VisitKind Kind, string? OrderCode)>();
        kinds.AddRange(guests.Take(arriving).Select(g => (VisitKind.PreRegistered, (string?)g.OrderCode)));
        kinds.AddRange(Enumerable.Repeat((VisitKind.WalkIn, (string?)null), scenario.WalkIns));
        string? creator = entitlements.FirstOrDefault(e => e.Role == "creator" && !e.Cancelled)?.OrderCode;
        if (creator != null)
        {
            kinds.AddRange(Enumerable.Repeat((VisitKind.CreatorAssistant, (string?)creator), scenario.CreatorAssistants));
        }

        int forged = scenario.BadActors / 3;
        int replays = scenario.BadActors / 3;
        kinds.AddRange(Enumerable.Range(0, forged)
            .Select(_ => (VisitKind.Forged, (string?)guests[random.Next(guests.Count)].OrderCode)));
        kinds.AddRange(Enumerable.Repeat((VisitKind.Replay, (string?)null), replays));
        kinds.AddRange(Enumerable.Repeat((VisitKind.Garbage, (string?)null), scenario.BadActors - forged - replays));
        Shuffle(kinds, random);

        TimeSpan[] arrivals = ArrivalCurve.Schedule(
            kinds.Count, scenario.ArrivalWindow, scenario.RushFactor, scenario.RushStart, scenario.RushLength, random);
        return kinds
            .Select((visit, index) => new Visit(index, arrivals[index], random.Next(laneCount), visit.Kind, visit.OrderCode))
            .ToList();
    }

    private static void Shuffle<T>(List<T> items, Random random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
