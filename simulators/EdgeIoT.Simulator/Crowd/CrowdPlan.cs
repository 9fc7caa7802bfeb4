using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Crowd;

/// <summary>
/// Turns the guest list and the scenario into a fixed list of visits. Everything random
/// comes from the scenario seed, so the same seed plans the same crowd: who comes, when, to
/// which lane, whose code a replay copies, and how each scan and passage goes.
/// </summary>
public static class CrowdPlan
{
    public static IReadOnlyList<Visit> Build(
        ScenarioOptions scenario, IReadOnlyList<EntitlementInfo> entitlements, IReadOnlyList<IGateLane> lanes)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(entitlements);
        ArgumentOutOfRangeException.ThrowIfZero(lanes.Count);

        var random = new Random(scenario.Seed);
        List<EntitlementInfo> guests = entitlements
            .Where(e => !e.Cancelled && e.Role == "guest" && e.OrderCode != null)
            .ToList();
        Shuffle(guests, random);
        int arriving = scenario.ArrivingGuests > 0 ? Math.Min(scenario.ArrivingGuests, guests.Count) : guests.Count;

        List<(VisitKind Kind, string? OrderCode)> kinds = Kinds(scenario, entitlements, guests, arriving, random);
        Shuffle(kinds, random);
        TimeSpan[] arrivals = ArrivalCurve.Schedule(
            kinds.Count, scenario.ArrivalWindow, scenario.RushFactor, scenario.RushStart, scenario.RushLength, random);

        var visits = new List<Visit>(kinds.Count);
        for (int i = 0; i < kinds.Count; i++)
        {
            int lane = random.Next(lanes.Count);
            ScanHabits habits = Habits(scenario, lanes[lane], kinds[i].Kind, random);
            visits.Add(new Visit(i, arrivals[i], lane, kinds[i].Kind, kinds[i].OrderCode, habits));
        }

        return LinkToEarlierVisits(visits, random);
    }

    private static List<(VisitKind, string?)> Kinds(
        ScenarioOptions scenario, IReadOnlyList<EntitlementInfo> entitlements, List<EntitlementInfo> guests, int arriving,
        Random random)
    {
        var kinds = new List<(VisitKind, string?)>();
        kinds.AddRange(guests.Take(arriving).Select(g => (VisitKind.PreRegistered, (string?)g.OrderCode)));
        kinds.AddRange(Enumerable.Repeat((VisitKind.WalkIn, (string?)null), scenario.WalkIns));
        string? creator = entitlements.FirstOrDefault(e => e.Role == "creator" && !e.Cancelled)?.OrderCode;
        if (creator != null)
        {
            kinds.AddRange(Enumerable.Repeat((VisitKind.CreatorAssistant, (string?)creator), scenario.CreatorAssistants));
        }

        int reEntries = Math.Min(scenario.ReEntries, arriving);
        kinds.AddRange(Enumerable.Repeat((VisitKind.ReEntry, (string?)null), reEntries));

        // Forgers and expired-code holders have a genuine ticket of a guest who is not arriving,
        // so their checks never consume an arriving guest's entry.
        List<EntitlementInfo> absent = guests.Skip(arriving).DefaultIfEmpty(guests[0]).ToList();
        kinds.AddRange(Enumerable.Range(0, scenario.BadActors.Forged)
            .Select(_ => (VisitKind.Forged, (string?)absent[random.Next(absent.Count)].OrderCode)));
        kinds.AddRange(Enumerable.Range(0, scenario.BadActors.Expired)
            .Select(_ => (VisitKind.Expired, (string?)absent[random.Next(absent.Count)].OrderCode)));
        kinds.AddRange(Enumerable.Repeat((VisitKind.Replay, (string?)null), scenario.BadActors.ScreenshotReplays));
        kinds.AddRange(Enumerable.Repeat((VisitKind.OtherEvent, (string?)null), scenario.BadActors.OtherEvent));
        kinds.AddRange(Enumerable.Repeat((VisitKind.Garbage, (string?)null), scenario.BadActors.Garbage));
        return kinds;
    }

    private static ScanHabits Habits(ScenarioOptions scenario, IGateLane lane, VisitKind kind, Random random)
    {
        // Draw every number whatever the lane, so one lane's settings do not shift the others' choices.
        double passage = random.NextDouble();
        bool doubleRead = random.NextDouble() < scenario.DoubleReadShare;
        bool eci = random.NextDouble() < scenario.EciPrefixShare;

        // Drawn only when the scenario uses tags, so the plans of scenarios without NFC stay as they were.
        // Guests with a token from the hub carry it on a tag; screenshots and forgeries stay on screens.
        bool tag = scenario.NfcTagShare > 0 && random.NextDouble() < scenario.NfcTagShare
            && kind is VisitKind.PreRegistered or VisitKind.ReEntry;
        PassageBehaviour behaviour = PassageBehaviour.WalkThrough;
        bool agent = lane.DeviceClass == "agent";

        // NOTE: guests turn back at agent lanes only. An ESP32 turnstile keeps its arm open for
        // the whole passage timeout (5 s) after a turn-back, which would stall the lane's queue.
        if (agent && passage < scenario.TurnBackShare)
        {
            behaviour = PassageBehaviour.TurnBack;
        }
        else if (passage >= scenario.TurnBackShare && passage < scenario.TurnBackShare + scenario.TailgateShare)
        {
            behaviour = PassageBehaviour.Tailgate;
        }

        // Scanner modules, serial or keyboard-mode, retrigger and send prefixes; a camera does not.
        bool module = lane.Spec.Scanner is Scenarios.ScannerKind.Serial or Scenarios.ScannerKind.Hid;
        return new ScanHabits(behaviour, DoubleRead: module && doubleRead, EciPrefix: module && eci, NfcTag: tag && lane.Spec.Nfc);
    }

    /// <summary>
    /// Gives each replay an earlier pre-registered visit whose code it copies, and each
    /// re-entry an earlier pre-registered visit of the same guest. A replay or re-entry with
    /// no earlier guest to copy (possible only among the first arrivals) shows a garbage code instead.
    /// </summary>
    private static List<Visit> LinkToEarlierVisits(List<Visit> visits, Random random)
    {
        var linked = new List<Visit>(visits.Count);
        var usedForReEntry = new HashSet<int>();
        foreach (Visit visit in visits)
        {
            if (visit.Kind is not (VisitKind.Replay or VisitKind.ReEntry))
            {
                linked.Add(visit);
                continue;
            }

            List<Visit> candidates = linked
                .Where(v => v.Kind == VisitKind.PreRegistered && v.Habits.Passage == PassageBehaviour.WalkThrough)
                .Where(v => visit.Kind == VisitKind.Replay || !usedForReEntry.Contains(v.Index))
                .ToList();
            if (candidates.Count == 0)
            {
                linked.Add(visit with { Kind = VisitKind.Garbage });
                continue;
            }

            Visit earlier = candidates[random.Next(candidates.Count)];
            if (visit.Kind == VisitKind.ReEntry)
            {
                usedForReEntry.Add(earlier.Index);
                linked.Add(visit with { OrderCode = earlier.OrderCode, Earlier = earlier.Index });
            }
            else
            {
                linked.Add(visit with { Earlier = earlier.Index });
            }
        }

        return linked;
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
