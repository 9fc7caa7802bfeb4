namespace EdgeIoT.Hardware;

internal enum NfcPollKind
{
    NoTag,
    SameTag,
    Token,
    NoToken,

    /// <summary>The tag stopped responding mid-read (moved away, or a slow serial link); the next poll reads it again.</summary>
    ReadFailed,
    Fault,
}
