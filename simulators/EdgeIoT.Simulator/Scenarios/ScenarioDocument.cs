using System.Text.Json.Serialization;

namespace EdgeIoT.Simulator.Scenarios;

// The JSON shape of a scenario file, as simulators/scenarios/schema.json documents it. These
// types only carry the file's values, and ScenarioLoader checks ranges and builds ScenarioOptions.

/// <summary>Root of a scenario file.</summary>
public sealed record ScenarioDocument
{
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Guest list CSV, relative to the scenario file; the shipped sample when missing.</summary>
    public string? GuestList { get; init; }

    /// <summary>Offline policy JSON, relative to the scenario file; the shipped venue default when missing.</summary>
    public string? Policy { get; init; }

    public VenueDocument Venue { get; init; } = new();

    public CrowdDocument Crowd { get; init; } = new();

    public KeysDocument? Keys { get; init; }

    /// <summary>Scheduled faults; null means the default outages, an empty list means none.</summary>
    public IReadOnlyList<FaultDocument>? Faults { get; init; }

    /// <summary>Expected outcomes; null means the default checks.</summary>
    public IReadOnlyList<string>? Expect { get; init; }

    public double DrainTimeoutSeconds { get; init; } = 90;
}

public sealed record VenueDocument
{
    /// <summary>
    /// How long agent lanes wait for the hub's online check before the offline policy decides;
    /// null keeps the agent's default (150 ms).
    /// </summary>
    public double? OnlineCheckTimeoutMs { get; init; }

    public HubDocument Hub { get; init; } = new();

    public IReadOnlyList<LaneDocument> Lanes { get; init; } =
    [
        new() { Kind = "agent", Scanner = "camera", Count = 3 },
        new() { Kind = "esp32", Scanner = "serial", Count = 2 },
    ];
}

public sealed record HubDocument
{
    /// <summary>Where the hub runs: "simulator" (in the simulator's process) or "process" (its own OS process).</summary>
    public string Host { get; init; } = "simulator";
}

public sealed record LaneDocument
{
    /// <summary>Device id; kind and number ("agent-1", "esp32-2") when missing. Only with count 1.</summary>
    public string? Id { get; init; }

    public required string Kind { get; init; }

    public string? Scanner { get; init; }

    /// <summary>Keyboard layout a "hid" scanner is set to ("us" or "de"); the agent expects "us".</summary>
    public string? Layout { get; init; }

    public int Zone { get; init; }

    /// <summary>True when the lane has an NFC reader next to its scanner.</summary>
    public bool Nfc { get; init; }

    /// <summary>Where the device program runs: "simulator" (default) or "process".</summary>
    public string? Host { get; init; }

    public int Count { get; init; } = 1;
}

public sealed record CrowdDocument
{
    public double DurationSeconds { get; init; } = 75;

    /// <summary>Pre-registered guests of the list who arrive; 0 means all of them.</summary>
    public int Arriving { get; init; }

    public RushDocument Rush { get; init; } = new();

    public int WalkIns { get; init; } = 40;

    public int CreatorAssistants { get; init; } = 2;

    public int ReEntries { get; init; }

    public BadActorsDocument BadActors { get; init; } = new();

    public CameraDocument Camera { get; init; } = new();

    public SerialScannerDocument SerialScanner { get; init; } = new();

    public PassageDocument Passage { get; init; } = new();

    public NfcDocument Nfc { get; init; } = new();
}

public sealed record RushDocument
{
    public double Multiplier { get; init; } = 10;

    public double Start { get; init; } = 0.35;

    public double Length { get; init; } = 0.2;
}

public sealed record BadActorsDocument
{
    public int ScreenshotReplays { get; init; } = 10;

    public int Forged { get; init; } = 10;

    public int Expired { get; init; }

    public int OtherEvent { get; init; }

    public int Garbage { get; init; } = 10;
}

public sealed record CameraDocument
{
    public double BlurShare { get; init; } = 0.02;

    public double PartialShare { get; init; }
}

public sealed record SerialScannerDocument
{
    public double DoubleReadShare { get; init; }

    public double EciPrefixShare { get; init; }
}

public sealed record NfcDocument
{
    /// <summary>Share of pre-registered guests who hold their token on an NFC tag at a lane with a reader.</summary>
    public double TagShare { get; init; }
}

public sealed record PassageDocument
{
    public double TurnBackShare { get; init; }

    public double TailgateShare { get; init; }
}

public sealed record KeysDocument
{
    public double RotationIntervalSeconds { get; init; } = 60;

    public double RotateAt { get; init; } = 0.5;
}

public sealed record FaultDocument
{
    public required string Kind { get; init; }

    public string? Target { get; init; }

    public double At { get; init; }

    public double? Until { get; init; }

    public double? Milliseconds { get; init; }

    public double? Seconds { get; init; }
}
