using System.Text;
using CsCheck;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// What a scanner hands the gate: QR text and token bytes, whole, damaged or hostile. A gate
/// must return a reason for each and admit only a token exactly as it was signed.
/// </summary>
public sealed class TokenFuzzTests : IDisposable
{
    private readonly Corpus _corpus = new();

    [Fact]
    [Trait("Category", "Security")]
    public void QrText_MutatedScans_NeverAdmitAlteredToken()
    {
        var genuine = new HashSet<string>(_corpus.Tokens.Select(Convert.ToHexString));
        Mutator.Mutants(_corpus.QrTexts).Sample(scan =>
        {
            string text = Encoding.Latin1.GetString(scan);
            ParserProbe.Run("QrText.TryDecode + TokenVerifier.Verify", scan, () =>
            {
                RejectReason reason = QrText.TryDecode(text, out byte[] token);
                if (reason != RejectReason.None)
                {
                    Assert.NotEqual("", RejectReasons.ToCode(reason));
                    return;
                }

                VerifyResult result = _corpus.Verifier.Verify(token, _corpus.NowSeconds, true, 0, null, null);
                Assert.True(!result.IsValid || genuine.Contains(Convert.ToHexString(token)),
                    $"An altered token was admitted: {Convert.ToHexString(token)}");
            });
        }, iter: FuzzBudget.Iterations(20_000));
    }

    [Fact]
    public void QrText_RandomCharacters_NeverThrow()
    {
        Gen.String[Gen.Char, 0, 400].Sample(text =>
        {
            byte[] asBytes = Encoding.UTF8.GetBytes(text);
            ParserProbe.Run("QrText.TryDecode", asBytes, () => QrText.TryDecode(text, out _));
        }, iter: FuzzBudget.Iterations(20_000));
    }

    [Fact]
    [Trait("Category", "Security")]
    public void TokenVerifier_MutatedBytes_NeverAdmit()
    {
        var genuine = new HashSet<string>(_corpus.Tokens.Select(Convert.ToHexString));
        Mutator.Mutants(_corpus.Tokens).Sample(token =>
        {
            ParserProbe.Run("TokenVerifier.Verify", token, () =>
            {
                VerifyResult result = _corpus.Verifier.Verify(token, _corpus.NowSeconds, true, 0, null, null);
                Assert.True(!result.IsValid || genuine.Contains(Convert.ToHexString(token)),
                    $"An altered token was admitted: {Convert.ToHexString(token)}");
            });
        }, iter: FuzzBudget.Iterations(20_000));
    }

    [Fact]
    public void TokenCodec_RandomBytes_NeverThrow()
    {
        Gen.Byte.Array[0, 256].Sample(bytes =>
            ParserProbe.Run("TokenCodec.TryDecode", bytes, () => TokenCodec.TryDecode(bytes, out _)),
            iter: FuzzBudget.Iterations(20_000));
    }

    public void Dispose() => _corpus.Dispose();
}
