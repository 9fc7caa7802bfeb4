using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Protocol.Tokens;

/// <summary>
/// The phone side of a rotating QR code. It stores a signed pass (optionally followed by its
/// delegation certificate or a reference to it) and the pass secret from the hub, and renders the QR text for
/// the current 15-second step with no network. A guest app or the simulator can use it.
/// </summary>
public sealed class RotatingPass
{
    private readonly byte[] _credential;
    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    /// <param name="credential">
    /// Pass bytes as issued: 110, 114 with a delegation certificate reference, or 209 with the certificate.
    /// </param>
    /// <param name="secret">The 32-byte pass secret the hub returned with the pass.</param>
    public RotatingPass(byte[] credential, byte[] secret, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(time);
        if (credential.Length is not (TokenLayout.TotalLength
                or TokenLayout.TotalLength + DelegationCertificate.ReferenceLength
                or TokenLayout.TotalLength + DelegationCertificate.TotalLength)
            || credential[TokenLayout.TypeOffset] != (byte)TokenType.Pass)
        {
            throw new ArgumentException(
                $"A pass is {TokenLayout.TotalLength}, {TokenLayout.TotalLength + DelegationCertificate.ReferenceLength} or "
                + $"{TokenLayout.TotalLength + DelegationCertificate.TotalLength} bytes of token type {(byte)TokenType.Pass}; "
                + $"got {credential.Length} bytes.",
                nameof(credential));
        }

        if (secret.Length != 32)
        {
            throw new ArgumentException($"A pass secret is 32 bytes, not {secret.Length}.", nameof(secret));
        }

        _credential = credential;
        _secret = secret;
        _time = time;
    }

    /// <summary>Start of the next step, when the phone should redraw its code.</summary>
    public DateTimeOffset NextChange
    {
        get
        {
            long now = _time.GetUtcNow().ToUnixTimeSeconds();
            return DateTimeOffset.FromUnixTimeSeconds(((now / RotatingCode.StepSeconds) + 1) * RotatingCode.StepSeconds);
        }
    }

    /// <summary>Returns the credential bytes with the rotating code of the current step.</summary>
    public byte[] CurrentCredential() =>
        RotatingCode.Append(_credential, _secret, (ulong)_time.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>Returns the QR text ("EI1:" + Base45) of the current step.</summary>
    public string CurrentQrText() => QrText.Encode(CurrentCredential());
}
