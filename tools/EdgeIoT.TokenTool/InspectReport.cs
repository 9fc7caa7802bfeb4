using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;

namespace EdgeIoT.TokenTool;

/// <summary>Prints the decoded claims of one credential and the verdict of the verification pipeline.</summary>
internal static class InspectReport
{
    public static void Write(TextWriter output, Credential credential, VerifyResult? result, KeyList keys, uint now)
    {
        if (credential.Bytes is null && credential.ReadError is not null)
        {
            // Nothing decoded, so one line names the input and the problem.
            output.WriteLine(
                $"{credential.Source}: {credential.Form}, rejected, {RejectReasons.ToCode(credential.ReadReason)}: {credential.ReadError}");
            return;
        }

        output.WriteLine($"{credential.Source}: {credential.Form}");
        TokenClaims? claims = result?.Claims;
        if (claims is null && credential.Bytes is not null)
        {
            TokenCodec.TryDecodeLeading(credential.Bytes, out claims);
        }

        if (claims is not null)
        {
            WriteClaims(output, claims, keys);
        }

        if (claims?.Type == TokenType.Wristband && credential.Bytes?.Length == WristbandCredential.TotalLength)
        {
            output.WriteLine($"  bound chip UID:   {Convert.ToHexString(credential.Bytes, WristbandCredential.UidOffset, WristbandCredential.UidLength)}");
        }

        if (result?.Delegation is DelegationCertificate delegation)
        {
            output.WriteLine(
                $"  delegation:       creator {delegation.CreatorId}, assistant {delegation.AssistantId}, role "
                + $"{PolicyCodes.RoleToCode(delegation.Role)}, zone {delegation.Zone}, spend limit {delegation.SpendLimitMinor} minor units, "
                + $"until {Time(delegation.NotAfterUnixSeconds)}");
        }

        RejectReason reason = result?.Reason ?? credential.ReadReason;
        if (reason == RejectReason.None)
        {
            output.WriteLine("  verdict:          valid");
            return;
        }

        string detail = credential.ReadError ?? Explain(reason, claims, now);
        output.WriteLine($"  verdict:          rejected, {RejectReasons.ToCode(reason)}: {detail}");
    }

    private static void WriteClaims(TextWriter output, TokenClaims claims, KeyList keys)
    {
        KeyEntry? key = keys.Find(claims.KeyId);
        string keyState = key is null ? "not in the key list"
            : key.Revoked ? "revoked"
            : key.EventKey ? "event key" : "edge key";
        output.WriteLine($"  version, type:    {claims.Version}, {claims.Type.ToString().ToLowerInvariant()}");
        output.WriteLine($"  kid:              {KeyIds.ToHex(claims.KeyId)} ({keyState})");
        output.WriteLine($"  event id:         {claims.EventId}");
        output.WriteLine($"  issued at:        {Time(claims.IssuedAtUnixSeconds)}");
        output.WriteLine($"  expires at:       {Time(claims.ExpiresAtUnixSeconds)} (lifetime {claims.LifetimeSeconds} s)");
        output.WriteLine($"  token id:         {claims.TokenId:x16}");
        output.WriteLine($"  entitlement id:   {claims.EntitlementId}, epoch {claims.Epoch}");
        output.WriteLine($"  role:             {PolicyCodes.RoleToCode(claims.Role)}");
        output.WriteLine($"  zone:             {(claims.Zone == 0 ? "0 (every zone)" : claims.Zone.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        output.WriteLine($"  offer id:         {claims.OfferId}");
        output.WriteLine($"  spend allowance:  {claims.SpendAllowanceMinor} minor units");
        output.WriteLine($"  delegator id:     {claims.DelegatorId}");
        if (claims.RotatingStep != 0)
        {
            output.WriteLine($"  rotating code:    step {claims.RotatingStep}, shown from {Time(claims.RotatingStep * (uint)RotatingCode.StepSeconds)}");
        }
    }

    private static string Explain(RejectReason reason, TokenClaims? claims, uint now) => reason switch
    {
        RejectReason.ScannerMisconfigured => "the text has characters a token never has; check the scanner's keyboard layout and suffix settings",
        RejectReason.Malformed => "the bytes are not a well-formed token",
        RejectReason.UnsupportedVersion => "the token version is not 1",
        RejectReason.UnknownKeyId => "the signing key is not in this key list; fetch a newer list",
        RejectReason.KeyRevoked => "the signing key was revoked",
        RejectReason.BadSignature => "the signature does not verify, or the key did not sign at the issue time",
        RejectReason.NotYetValid => $"issued in the future for this clock ({Time(now)})",
        RejectReason.Expired when claims is not null => $"expired at {Time(claims.ExpiresAtUnixSeconds)}; now is {Time(now)}",
        RejectReason.WrongEvent => "the token is for another event than the key list",
        RejectReason.WrongZone => "the token does not admit to the gate zone given with --zone",
        RejectReason.RotatingCodeInvalid => "the pass has no rotating code, a wrong one, or no --rotating-key-file was given",
        RejectReason.RotatingCodeExpired => "the rotating code is older than the accepted window: a screenshot or a stale screen",
        RejectReason.DelegationUnknown => "a delegated token without its delegation certificate",
        RejectReason.DelegationExceeded => "the token claims more than its delegation certificate allows",
        RejectReason.UidMismatch => "the wristband was issued for another chip UID than the one given with --uid, or --uid is missing",
        _ => RejectReasons.ToCode(reason),
    };

    private static string Time(uint unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
