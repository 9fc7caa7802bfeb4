namespace EdgeIoT.Hardware;

/// <summary>A tag the reader saw but could not read a token from.</summary>
public sealed class NfcTagEventArgs(string reader, int uidLength, string reason) : EventArgs
{
    public string Reader { get; } = reader;

    /// <summary>Length of the chip UID in bytes (4, 7 or 10); the UID itself is a credential and stays out of events and logs.</summary>
    public int UidLength { get; } = uidLength;

    public string Reason { get; } = reason;
}
