namespace EdgeIoT.TokenTool;

/// <summary>The validated inputs of one inspect run.</summary>
internal sealed class InspectRequest
{
    public required Func<IEnumerable<Credential>> Credentials { get; init; }

    public FileInfo? KeyListFile { get; init; }

    public Uri? Hub { get; init; }

    public byte[]? RootKey { get; init; }

    public byte[]? RotatingCodeKey { get; init; }

    /// <summary>UID of the chip the NDEF bytes came from, for wristband credentials; null when not given.</summary>
    public byte[]? ChipUid { get; init; }

    public byte Zone { get; init; }

    public uint Now { get; init; }

    public int SkewSeconds { get; init; }
}
