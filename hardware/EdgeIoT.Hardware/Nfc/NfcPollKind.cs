namespace EdgeIoT.Hardware;

internal enum NfcPollKind
{
    NoTag,
    SameTag,
    Token,
    NoToken,
    Fault,
}
