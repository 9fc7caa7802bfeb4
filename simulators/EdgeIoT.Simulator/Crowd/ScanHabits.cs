namespace EdgeIoT.Simulator.Crowd;

/// <summary>What a guest does after an admit.</summary>
public enum PassageBehaviour
{
    WalkThrough,

    /// <summary>Turns back without passing, so the lane annuls the admit.</summary>
    TurnBack,

    /// <summary>Walks through with a second person close behind, which trips the gate's alarm.</summary>
    Tailgate,
}

/// <summary>
/// How one presentation goes, decided at plan time from the seed. It sets whether the scanner
/// module (serial or HID) sends the code twice or with an ECI prefix, and whether the guest
/// holds the token on an NFC tag instead of a QR code. It also sets what the guest does after an admit.
/// </summary>
public sealed record ScanHabits(PassageBehaviour Passage, bool DoubleRead, bool EciPrefix, bool NfcTag = false)
{
    public static ScanHabits Plain { get; } = new(PassageBehaviour.WalkThrough, DoubleRead: false, EciPrefix: false);
}
