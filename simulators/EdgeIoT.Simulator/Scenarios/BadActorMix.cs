namespace EdgeIoT.Simulator.Scenarios;

/// <summary>How many bad actors of each kind join the crowd.</summary>
public sealed record BadActorMix
{
    /// <summary>Screenshots of a code another guest was just admitted with, shown at the next lane.</summary>
    public int ScreenshotReplays { get; init; } = 10;

    /// <summary>Genuine tokens with the role changed to staff and signed again with the forger's key.</summary>
    public int Forged { get; init; } = 10;

    /// <summary>Genuine tokens issued minutes before the event and shown after they expired.</summary>
    public int Expired { get; init; }

    /// <summary>Tokens of another event, signed by that event's key, which this venue never listed.</summary>
    public int OtherEvent { get; init; }

    /// <summary>Codes that are no ticket at all: a web link, a truncated code.</summary>
    public int Garbage { get; init; } = 10;

    public int Total => ScreenshotReplays + Forged + Expired + OtherEvent + Garbage;
}
