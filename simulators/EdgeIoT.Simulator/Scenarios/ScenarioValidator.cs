using System.Globalization;
using System.Text.RegularExpressions;
using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Scenarios;

/// <summary>Checks the values of a parsed scenario and turns it into <see cref="ScenarioOptions"/>.</summary>
public static partial class ScenarioValidator
{
    /// <summary>The hub rejects shorter key rotation intervals.</summary>
    public static readonly TimeSpan MinRotationInterval = TimeSpan.FromMinutes(1);

    /// <summary>Shortest arrival window in seconds.</summary>
    public const int MinWindowSeconds = 5;

    /// <summary>Longest arrival window in seconds: four hours.</summary>
    public const int MaxWindowSeconds = 4 * 3600;

    /// <summary>Maximum number of lanes on one machine.</summary>
    public const int MaxLanes = 20;

    public static ScenarioOptions ToOptions(ScenarioDocument document, string folder, string dataDirectory, bool shortForm)
    {
        ArgumentNullException.ThrowIfNull(document);

        Require(!string.IsNullOrWhiteSpace(document.Name), "name", document.Name, "give the scenario a name");
        IReadOnlyList<LaneSpec> lanes = Lanes(document.Venue);
        CrowdDocument crowd = document.Crowd;
        CheckCrowd(crowd);
        HubHost hubHost = Host(document.Venue.Hub);
        if (hubHost == HubHost.Process)
        {
            CheckProcessHostedHub(document);
        }

        CheckProcessLanes(document, lanes);
        return new ScenarioOptions
        {
            Name = shortForm ? document.Name + " (short)" : document.Name,
            Seed = document.Seed,
            GuestListFile = ExistingFile(folder, document.GuestList, "guestList", Path.Combine("data", "guests.csv")),
            PolicyFile = ExistingFile(folder, document.Policy, "policy", Path.Combine("data", "policies", "venue-default.json")),
            DataDirectory = dataDirectory,
            HubHost = hubHost,
            Lanes = lanes,
            OnlineCheckTimeout = document.Venue.OnlineCheckTimeoutMs is { } timeout
                ? TimeSpan.FromMilliseconds(Amount(timeout, "venue.onlineCheckTimeoutMs", 10, 10_000))
                : null,
            ArrivingGuests = crowd.Arriving,
            WalkIns = crowd.WalkIns,
            CreatorAssistants = crowd.CreatorAssistants,
            ReEntries = crowd.ReEntries,
            BadActors = new BadActorMix
            {
                ScreenshotReplays = crowd.BadActors.ScreenshotReplays,
                Forged = crowd.BadActors.Forged,
                Expired = crowd.BadActors.Expired,
                OtherEvent = crowd.BadActors.OtherEvent,
                Garbage = crowd.BadActors.Garbage,
            },
            ArrivalWindow = TimeSpan.FromSeconds(crowd.DurationSeconds),
            RushFactor = crowd.Rush.Multiplier,
            RushStart = crowd.Rush.Start,
            RushLength = crowd.Rush.Length,
            BlurShare = crowd.Camera.BlurShare,
            PartialShare = crowd.Camera.PartialShare,
            DoubleReadShare = crowd.SerialScanner.DoubleReadShare,
            EciPrefixShare = crowd.SerialScanner.EciPrefixShare,
            NfcTagShare = crowd.Nfc.TagShare,
            TurnBackShare = crowd.Passage.TurnBackShare,
            TailgateShare = crowd.Passage.TailgateShare,
            KeyRotation = Keys(document.Keys, crowd.DurationSeconds),
            Faults = document.Faults is null ? null : Faults(document.Faults, lanes),
            Expectations = document.Expect is null ? null : Expectations(document.Expect),
            DrainTimeout = Seconds(document.DrainTimeoutSeconds, "drainTimeoutSeconds", 5, 3600),
        };
    }

    private static IReadOnlyList<LaneSpec> Lanes(VenueDocument venue)
    {
        Require(venue.Lanes.Count > 0, "venue.lanes", "[]", "the venue needs at least one lane");
        var lanes = new List<LaneSpec>();
        var numbers = new Dictionary<LaneKind, int>();
        for (int i = 0; i < venue.Lanes.Count; i++)
        {
            string field = $"venue.lanes[{i}]";
            LaneDocument lane = venue.Lanes[i] ?? throw Invalid(field, null, "give a lane object such as { \"kind\": \"agent\" }");
            LaneKind kind = lane.Kind switch
            {
                "agent" => LaneKind.Agent,
                "esp32" => LaneKind.Esp32,
                _ => throw Invalid($"{field}.kind", lane.Kind, "use agent or esp32"),
            };
            ScannerKind scanner = lane.Scanner switch
            {
                null => kind == LaneKind.Agent ? ScannerKind.Camera : ScannerKind.Serial,
                "camera" => ScannerKind.Camera,
                "serial" => ScannerKind.Serial,
                "hid" => ScannerKind.Hid,
                _ => throw Invalid($"{field}.scanner", lane.Scanner, "use camera, serial or hid"),
            };
            Require(kind == LaneKind.Agent || scanner == ScannerKind.Serial, $"{field}.scanner", lane.Scanner,
                "an ESP32 lane reads codes through a serial scanner module; use serial");
            Require(lane.Layout is null || scanner == ScannerKind.Hid, $"{field}.layout", lane.Layout,
                "a keyboard layout applies to a hid scanner only; set \"scanner\": \"hid\" or drop it");
            Require(lane.Layout is null or "us" or "de", $"{field}.layout", lane.Layout, "use us or de");
            Require(lane.Zone is >= 0 and <= 255, $"{field}.zone", lane.Zone, "use 0 (every zone) to 255");
            LaneHost host = Host(lane, kind, field);
            Require(!lane.Nfc || host == LaneHost.Simulator, $"{field}.nfc", lane.Nfc,
                "a lane in its own process takes codes from its scanner only; drop nfc or use host simulator");
            Require(scanner != ScannerKind.Hid || host == LaneHost.Simulator, $"{field}.scanner", lane.Scanner,
                "a lane in its own process reads a camera or serial scanner; use one of them or host simulator");
            Require(lane.Count is >= 1 and <= 20, $"{field}.count", lane.Count, "use 1 to 20");
            Require(lane.Id is null || lane.Count == 1, $"{field}.id", lane.Id, "an id names one lane; drop it or set count to 1");
            Require(lane.Id is null || DeviceIdPattern().IsMatch(lane.Id), $"{field}.id", lane.Id,
                "use lower-case letters, digits and dashes");

            for (int n = 0; n < lane.Count; n++)
            {
                int number = numbers[kind] = numbers.GetValueOrDefault(kind) + 1;
                string id = lane.Id ?? $"{(kind == LaneKind.Agent ? "agent" : "esp32")}-{number}";
                Require(lanes.All(l => l.Id != id), $"{field}.id", id, "another lane has this id");
                lanes.Add(new LaneSpec(id, kind, scanner, (byte)lane.Zone, lane.Nfc, host) { HidLayout = lane.Layout ?? "us" });
            }
        }

        Require(lanes.Count <= MaxLanes, "venue.lanes", lanes.Count, $"use at most {MaxLanes} lanes on one machine");
        return lanes;
    }

    private static HubHost Host(HubDocument hub) => hub.Host switch
    {
        "simulator" => HubHost.Simulator,
        "process" => HubHost.Process,
        _ => throw Invalid("venue.hub.host", hub.Host, "use simulator or process"),
    };

    /// <summary>
    /// Rejects the settings that move the hub's clock from the simulator, which a hub in its own
    /// process does not share: it runs on the system clock, and its API has no way to set time.
    /// </summary>
    private static void CheckProcessHostedHub(ScenarioDocument document)
    {
        const string Reason = "venue.hub.host \"process\" runs the hub on the system clock in its own process, "
            + "where the simulator cannot move its time";
        Require(document.Keys is null, "keys.rotateAt", document.Keys?.RotateAt,
            $"{Reason} to place the key rotation inside the crowd; drop keys or use host simulator");
        Require(document.Crowd.BadActors.Expired == 0, "crowd.badActors.expired", document.Crowd.BadActors.Expired,
            $"{Reason} past the lifetime of the codes issued for expired-code holders; use 0 or host simulator");
        IReadOnlyList<FaultDocument> faults = document.Faults ?? [];
        for (int i = 0; i < faults.Count; i++)
        {
            Require(faults[i].Kind != FaultKinds.ToName(FaultKind.HubClockStep), $"faults[{i}].kind", faults[i].Kind,
                $"{Reason} for a clock step; drop the fault or use host simulator");
        }
    }

    private static LaneHost Host(LaneDocument lane, LaneKind kind, string field)
    {
        LaneHost host = lane.Host switch
        {
            null or "simulator" => LaneHost.Simulator,
            "process" => LaneHost.Process,
            _ => throw Invalid($"{field}.host", lane.Host, "use simulator or process"),
        };

        Require(host == LaneHost.Simulator || !lane.Nfc, $"{field}.nfc", lane.Nfc,
            "the NFC reader is simulated for lanes in the simulator's process only; drop nfc or use host simulator");
        return host;
    }

    /// <summary>
    /// Rejects what a lane in its own process cannot act out. The simulator moves the venue
    /// clock of in-process devices only (expired codes, key rotation). It fires a gate's passage
    /// sensor by hand only in-process (tailgates, and turn-backs at an agent lane).
    /// </summary>
    private static void CheckProcessLanes(ScenarioDocument document, IReadOnlyList<LaneSpec> lanes)
    {
        if (lanes.FirstOrDefault(l => l.Host == LaneHost.Process) is not { } lane)
        {
            return;
        }

        string reason = $"lane {lane.Id} runs in its own process, whose clock the simulator cannot move";
        Require(document.Keys is null, "keys", "{...}", $"{reason}; drop keys or use host simulator");
        Require(document.Crowd.BadActors.Expired == 0, "crowd.badActors.expired", document.Crowd.BadActors.Expired,
            $"{reason}; use 0 or host simulator");
        Require(document.Crowd.Passage.TailgateShare == 0, "crowd.passage.tailgateShare", document.Crowd.Passage.TailgateShare,
            $"lane {lane.Id} runs in its own process, whose passage sensor the simulator cannot fire; use 0 or host simulator");

        // The simulated guest at an agent in its own process always crosses, so no guest can turn back there.
        if (lanes.FirstOrDefault(l => l is { Host: LaneHost.Process, Kind: LaneKind.Agent }) is { } agent)
        {
            Require(document.Crowd.Passage.TurnBackShare == 0, "crowd.passage.turnBackShare", document.Crowd.Passage.TurnBackShare,
                $"lane {agent.Id} runs its agent in its own process, whose passage sensor the simulator cannot fire; "
                + "use 0 or host simulator");
        }
    }

    private static void CheckCrowd(CrowdDocument crowd)
    {
        Seconds(crowd.DurationSeconds, "crowd.durationSeconds", MinWindowSeconds, MaxWindowSeconds);
        Require(crowd.Arriving >= 0, "crowd.arriving", crowd.Arriving, "use 0 (every guest) or more");
        Require(crowd.Rush.Multiplier >= 1, "crowd.rush.multiplier", crowd.Rush.Multiplier, "use 1 or more");
        Share(crowd.Nfc.TagShare, "crowd.nfc.tagShare");
        Share(crowd.Rush.Start, "crowd.rush.start");
        Share(crowd.Rush.Length, "crowd.rush.length");
        Require(crowd.Rush.Start + crowd.Rush.Length <= 1, "crowd.rush.length", crowd.Rush.Length,
            $"the rush starting at {crowd.Rush.Start} must end inside the window (start + length <= 1)");
        NotNegative(crowd.WalkIns, "crowd.walkIns");
        NotNegative(crowd.CreatorAssistants, "crowd.creatorAssistants");
        NotNegative(crowd.ReEntries, "crowd.reEntries");
        NotNegative(crowd.BadActors.ScreenshotReplays, "crowd.badActors.screenshotReplays");
        NotNegative(crowd.BadActors.Forged, "crowd.badActors.forged");
        NotNegative(crowd.BadActors.Expired, "crowd.badActors.expired");
        NotNegative(crowd.BadActors.OtherEvent, "crowd.badActors.otherEvent");
        NotNegative(crowd.BadActors.Garbage, "crowd.badActors.garbage");
        Share(crowd.Camera.BlurShare, "crowd.camera.blurShare");
        Share(crowd.Camera.PartialShare, "crowd.camera.partialShare");
        Share(crowd.SerialScanner.DoubleReadShare, "crowd.serialScanner.doubleReadShare");
        Share(crowd.SerialScanner.EciPrefixShare, "crowd.serialScanner.eciPrefixShare");
        Share(crowd.Passage.TurnBackShare, "crowd.passage.turnBackShare");
        Share(crowd.Passage.TailgateShare, "crowd.passage.tailgateShare");
        Require(crowd.Passage.TurnBackShare + crowd.Passage.TailgateShare <= 1, "crowd.passage.tailgateShare",
            crowd.Passage.TailgateShare, "turnBackShare + tailgateShare must be 1 or less");
    }

    private static KeyRotationSpec? Keys(KeysDocument? keys, double windowSeconds)
    {
        if (keys is null)
        {
            return null;
        }

        TimeSpan interval = TimeSpan.FromSeconds(keys.RotationIntervalSeconds);
        Require(interval >= MinRotationInterval, "keys.rotationIntervalSeconds", keys.RotationIntervalSeconds,
            "the hub rotates at most once a minute; use 60 or more");
        Require(keys.RotateAt is > 0 and < 1, "keys.rotateAt", keys.RotateAt, "use a fraction of the window between 0 and 1");
        Require(keys.RotateAt * windowSeconds < keys.RotationIntervalSeconds, "keys.rotateAt", keys.RotateAt,
            $"the rotation must come less than one interval ({keys.RotationIntervalSeconds} s) into the crowd");
        return new KeyRotationSpec(interval, keys.RotateAt);
    }

    private static List<FaultSpec> Faults(IReadOnlyList<FaultDocument> faults, IReadOnlyList<LaneSpec> lanes)
    {
        var specs = new List<FaultSpec>();
        for (int i = 0; i < faults.Count; i++)
        {
            FaultDocument document = faults[i]
                ?? throw Invalid($"faults[{i}]", null, "give a fault object such as { \"kind\": \"partition\", ... }");
            FaultSpec fault = Fault(document, $"faults[{i}]", lanes);
            for (int earlier = 0; earlier < specs.Count; earlier++)
            {
                FaultSpec other = specs[earlier];
                Require(!Overlap(other, fault), $"faults[{i}].at", fault.At,
                    $"it overlaps faults[{earlier}] ({faults[earlier].Kind} of {other.Target ?? "the hub"} from {other.At} to {other.Until}), "
                    + "and the end of either would end both; start it after the other ends or merge the two");
            }

            specs.Add(fault);
        }

        return specs;
    }

    // Two faults of one kind on one target share the switch that starts and ends them, such as
    // a lane's power or a proxy's partition, so overlapping windows cannot both be acted out.
    private static bool Overlap(FaultSpec first, FaultSpec second)
    {
        // A partition and a drop both switch a proxy's forwarding, so they share the switch too.
        bool sameSwitch = first.Kind == second.Kind
            || (first.Kind is FaultKind.Partition or FaultKind.Drop && second.Kind is FaultKind.Partition or FaultKind.Drop);
        if (!sameSwitch || first.Until is not { } firstUntil || second.Until is not { } secondUntil)
        {
            return false;
        }

        bool sameTarget = first.Target == second.Target
            || (FaultKinds.IsLinkFault(first.Kind)
                && (first.Target == FaultSpec.AllLaneLinks || second.Target == FaultSpec.AllLaneLinks)
                && first.Target != FaultSpec.HubLedgerLink && second.Target != FaultSpec.HubLedgerLink);
        return sameTarget && first.At < secondUntil && second.At < firstUntil;
    }

    private static FaultSpec Fault(FaultDocument fault, string field, IReadOnlyList<LaneSpec> lanes)
    {
        if (!FaultKinds.TryParse(fault.Kind, out FaultKind kind))
        {
            throw Invalid($"{field}.kind", fault.Kind, $"use one of {string.Join(", ", FaultKinds.Names)}");
        }

        Share(fault.At, $"{field}.at");
        if (FaultKinds.HasDuration(kind))
        {
            Require(fault.Until is { } until && until > fault.At && until <= 1, $"{field}.until", fault.Until,
                $"a {fault.Kind} fault needs an end after at ({fault.At}) and no later than 1");
        }
        else
        {
            Require(fault.Until is null, $"{field}.until", fault.Until, $"a {fault.Kind} fault happens once; drop until");
        }

        CheckTarget(kind, fault, field, lanes);
        double amount = kind switch
        {
            FaultKind.Latency => Amount(fault.Milliseconds, $"{field}.milliseconds", 1, 10_000),
            FaultKind.ClockSkew => Amount(fault.Seconds, $"{field}.seconds", -3600, 3600),
            FaultKind.HubClockStep => Amount(fault.Seconds, $"{field}.seconds", -172_800, 172_800),
            _ => 0,
        };
        return new FaultSpec(kind, fault.Target, fault.At, fault.Until, amount);
    }

    private static void CheckTarget(FaultKind kind, FaultDocument fault, string field, IReadOnlyList<LaneSpec> lanes)
    {
        string? target = fault.Target;
        if (kind is FaultKind.HubPowerLoss or FaultKind.HubClockStep)
        {
            Require(target is null, $"{field}.target", target, $"a {fault.Kind} fault acts on the hub; drop target");
            return;
        }

        string laneIds = string.Join(", ", lanes.Select(l => l.Id));
        if (FaultKinds.IsLinkFault(kind))
        {
            Require(target is FaultSpec.HubLedgerLink or FaultSpec.AllLaneLinks || lanes.Any(l => l.Id == target),
                $"{field}.target", target, $"use {FaultSpec.HubLedgerLink}, {FaultSpec.AllLaneLinks} or a lane id ({laneIds})");
            return;
        }

        LaneSpec? lane = lanes.FirstOrDefault(l => l.Id == target);
        Require(lane is not null, $"{field}.target", target, $"use a lane id ({laneIds})");
        if (kind is FaultKind.PrinterPaperOut or FaultKind.PrinterStall)
        {
            Require(lane!.Kind == LaneKind.Agent, $"{field}.target", target, "only agent lanes have a receipt printer");
        }

        Require(kind != FaultKind.ClockSkew || lane!.Host == LaneHost.Simulator, $"{field}.target", target,
            "the lane runs in its own process, whose clock the simulator cannot skew; use host simulator for it");
    }

    private static List<Expectation> Expectations(IReadOnlyList<string> outcomes)
    {
        var expectations = new List<Expectation>();
        for (int i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] is null)
            {
                throw Invalid($"expect[{i}]", null, "write an outcome such as \"lost == 0\"");
            }

            try
            {
                expectations.Add(Expectation.Parse(outcomes[i]));
            }
            catch (FormatException ex)
            {
                throw new ScenarioException($"expect[{i}]: {ex.Message}", ex, field: $"expect[{i}]");
            }
        }

        return expectations;
    }

    private static string ExistingFile(string folder, string? relative, string field, string shippedDefault)
    {
        string path = relative is null
            ? Path.Combine(AppContext.BaseDirectory, shippedDefault)
            : Path.GetFullPath(Path.Combine(folder, relative));
        Require(File.Exists(path), field, relative ?? path, $"file {path} not found");
        return path;
    }

    private static TimeSpan Seconds(double value, string field, double minimum, double maximum)
    {
        Require(value >= minimum && value <= maximum, field, value, $"use {minimum} to {maximum} seconds");
        return TimeSpan.FromSeconds(value);
    }

    private static double Amount(double? value, string field, double minimum, double maximum)
    {
        Require(value is { } v && v >= minimum && v <= maximum, field, value, $"use {minimum} to {maximum}");
        return value!.Value;
    }

    private static void Share(double value, string field) =>
        Require(value is >= 0 and <= 1, field, value, "use a fraction from 0 to 1");

    private static void NotNegative(int value, string field) => Require(value >= 0, field, value, "use 0 or more");

    private static void Require(bool condition, string field, object? value, string advice)
    {
        if (!condition)
        {
            throw Invalid(field, value, advice);
        }
    }

    private static ScenarioException Invalid(string field, object? value, string advice)
    {
        string valueText = value switch
        {
            null => "(missing)",
            double number => number.ToString(CultureInfo.InvariantCulture),
            string text => $"\"{text}\"",
            bool flag => flag ? "true" : "false",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        return new ScenarioException($"{field} {valueText} is invalid: {advice}.", field: field);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex DeviceIdPattern();
}
