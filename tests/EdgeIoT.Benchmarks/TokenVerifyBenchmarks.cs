using BenchmarkDotNet.Attributes;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Benchmarks;

/// <summary>
/// Verify cost of one session token: raw libsodium, NSec, our full pipeline on bytes, and
/// the pipeline from scanner text. The pipeline's target is at least 95% of raw throughput.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TokenVerifyBenchmarks
{
    private SigningKey _key = null!;
    private byte[] _token = null!;
    private string _qrText = null!;
    private TokenVerifier _verifier = null!;
    private uint _now;

    [GlobalSetup]
    public void Setup()
    {
        if (LibsodiumNative.SodiumInit() < 0)
        {
            throw new InvalidOperationException("sodium_init failed.");
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        _key = SigningKey.Generate(now.AddMinutes(-1), now.AddHours(1));
        var claims = new TokenClaims
        {
            Type = TokenType.Session,
            EventId = 7,
            LifetimeSeconds = 120,
            EntitlementId = 1234,
            Role = GuestRole.Guest,
        };
        _token = TokenIssuer.Issue(claims, _key, now);
        _qrText = QrText.Encode(_token);
        _now = (uint)now.ToUnixTimeSeconds();

        _verifier = new TokenVerifier(NSecSignatureVerifier.Instance, eventId: 7, skewSeconds: 20);
        _verifier.TryInstallKeys(new KeyList(1, 7, [TokenIssuer.ToKeyEntry(_key)]));
    }

    [Benchmark(Baseline = true)]
    public unsafe bool RawLibsodium()
    {
        fixed (byte* token = _token)
        fixed (byte* publicKey = _key.PublicKey)
        {
            return LibsodiumNative.VerifyDetached(
                token + TokenLayout.SignatureOffset, token, TokenLayout.SignedLength, publicKey) == 0;
        }
    }

    [Benchmark]
    public bool NSecVerify() =>
        NSecSignatureVerifier.Instance.Verify(
            _key.PublicKey, _token, TokenLayout.SignedLength, _token, TokenLayout.SignatureOffset);

    [Benchmark]
    public bool PipelineFromBytes() =>
        _verifier.Verify(_token, _now, clockReliable: true, gateZone: 0, revocations: null, seen: null).IsValid;

    [Benchmark]
    public bool PipelineFromScannerText()
    {
        QrText.TryDecode(_qrText, out byte[] token);
        return _verifier.Verify(token, _now, clockReliable: true, gateZone: 0, revocations: null, seen: null).IsValid;
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();
}
