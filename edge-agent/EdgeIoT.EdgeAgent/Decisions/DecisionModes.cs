namespace EdgeIoT.EdgeAgent.Decisions;

/// <summary>Who made a decision, as recorded in the event's "mode" field.</summary>
public static class DecisionModes
{
    /// <summary>The hub returned a response to the online check.</summary>
    public const string Online = "online";

    /// <summary>The offline policy decided because the hub was away, slow or failed.</summary>
    public const string Offline = "offline";

    /// <summary>The token was rejected on the device before any hub or policy step (bad signature, replay, ...).</summary>
    public const string Local = "local";
}
