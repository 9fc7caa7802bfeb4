namespace EdgeIoT.Hardware;

/// <summary>Outcome of one poll of an NFC reader.</summary>
internal readonly record struct NfcPoll(NfcPollKind Kind, byte[]? Uid, string? TokenText, string? Reason, long TimestampTicks)
{
    public static NfcPoll NoTag { get; } = new(NfcPollKind.NoTag, null, null, null, 0);

    public static NfcPoll Fault(string reason) => new(NfcPollKind.Fault, null, null, reason, 0);
}
