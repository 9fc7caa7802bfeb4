using BenchmarkDotNet.Attributes;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Benchmarks;

/// <summary>
/// Issue cost of one session token: raw libsodium signing of the 46 signed bytes as the
/// anchor, then the hub's whole issue path (claims, random token id, NSec sign) and its QR text.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TokenSignBenchmarks
{
    private SigningKey _key = null!;
    private byte[] _secretKey = null!;
    private byte[] _message = null!;
    private byte[] _signature = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        if (LibsodiumNative.SodiumInit() < 0)
        {
            throw new InvalidOperationException("sodium_init failed.");
        }

        _now = DateTimeOffset.UtcNow;
        _key = SigningKey.Generate(_now.AddMinutes(-1), _now.AddHours(1));

        // libsodium's 64-byte secret key is the 32-byte seed followed by the public key.
        _secretKey = [.. _key.ExportPrivateKey(), .. _key.PublicKey];
        _message = TokenCodec.EncodeUnsigned(Claims())[..TokenLayout.SignedLength];
        _signature = new byte[TokenLayout.SignatureLength];
    }

    [Benchmark(Baseline = true)]
    public unsafe int RawLibsodiumSign()
    {
        fixed (byte* signature = _signature)
        fixed (byte* message = _message)
        fixed (byte* secretKey = _secretKey)
        {
            return LibsodiumNative.SignDetached(signature, null, message, (ulong)_message.Length, secretKey);
        }
    }

    [Benchmark]
    public byte[] IssueToken() => TokenIssuer.Issue(Claims(), _key, _now);

    [Benchmark]
    public string IssueQrText() => TokenIssuer.IssueQrText(Claims(), _key, _now);

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    private static TokenClaims Claims() => new()
    {
        Type = TokenType.Session,
        EventId = 7,
        LifetimeSeconds = 120,
        EntitlementId = 1234,
        Role = GuestRole.Guest,
    };
}
