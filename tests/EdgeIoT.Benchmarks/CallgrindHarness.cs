using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Benchmarks;

/// <summary>
/// Runs one verify path a given number of times, for instruction counts under
/// <c>valgrind --tool=callgrind</c>. Timings on a shared machine drift by 20%, but instruction
/// counts repeat, so docs/benchmarks.md compares the paths by instructions per verify:
/// the difference between a run of N and a run of 0 verifies (after warm-up), divided by N.
/// </summary>
internal static class CallgrindHarness
{
    public static readonly string[] Paths = ["raw", "nsec", "pipeline", "text"];

    /// <summary>Warm-up calls before the counted ones, so every path is jitted at full optimization.</summary>
    private const int WarmupCalls = 2_000;

    public static int Run(string path, int count)
    {
        if (Array.IndexOf(Paths, path) < 0 || count < 0)
        {
            Console.Error.WriteLine($"Path '{path}' or count {count} is invalid: use one of {string.Join(", ", Paths)} and a count of 0 or more.");
            return 2;
        }

        if (LibsodiumNative.SodiumInit() < 0)
        {
            Console.Error.WriteLine("sodium_init failed.");
            return 1;
        }

        DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        using SigningKey key = SigningKey.Generate(now.AddMinutes(-1), now.AddHours(1));
        byte[] token = TokenIssuer.Issue(Claims(), key, now);
        string qrText = QrText.Encode(token);
        var verifier = new TokenVerifier(NSecSignatureVerifier.Instance, eventId: 7, skewSeconds: 20);
        verifier.TryInstallKeys(new KeyList(1, 7, [TokenIssuer.ToKeyEntry(key)]));
        Func<bool> verify = Select(path, key, token, qrText, verifier, (uint)now.ToUnixTimeSeconds());

        for (int i = 0; i < WarmupCalls; i++)
        {
            verify();
        }

        int valid = 0;
        for (int i = 0; i < count; i++)
        {
            valid += verify() ? 1 : 0;
        }

        Console.WriteLine($"{path}: {valid} of {count} verifies valid");
        return valid == count ? 0 : 1;
    }

    private static Func<bool> Select(string path, SigningKey key, byte[] token, string qrText, TokenVerifier verifier, uint now) =>
        path switch
        {
            "raw" => () => RawVerify(key.PublicKey, token),
            "nsec" => () => NSecSignatureVerifier.Instance.Verify(
                key.PublicKey, token, TokenLayout.SignedLength, token, TokenLayout.SignatureOffset),
            "pipeline" => () => verifier.Verify(token, now, clockReliable: true, gateZone: 0, revocations: null, seen: null).IsValid,
            _ => () => QrText.TryDecode(qrText, out byte[] decoded) == RejectReason.None
                && verifier.Verify(decoded, now, clockReliable: true, gateZone: 0, revocations: null, seen: null).IsValid,
        };

    private static unsafe bool RawVerify(byte[] publicKey, byte[] token)
    {
        fixed (byte* message = token)
        fixed (byte* keyBytes = publicKey)
        {
            return LibsodiumNative.VerifyDetached(
                message + TokenLayout.SignatureOffset, message, TokenLayout.SignedLength, keyBytes) == 0;
        }
    }

    private static TokenClaims Claims() => new()
    {
        Type = TokenType.Session,
        EventId = 7,
        LifetimeSeconds = 120,
        EntitlementId = 1234,
        Role = GuestRole.Guest,
    };
}
