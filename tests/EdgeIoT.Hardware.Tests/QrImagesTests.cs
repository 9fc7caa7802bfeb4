using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hardware.Simulated;

namespace EdgeIoT.Hardware.Tests;

public sealed class QrImagesTests
{
    internal static string TokenText(int seed)
    {
        var token = new byte[TokenLayout.TotalLength];
        new Random(seed).NextBytes(token);
        return QrText.Encode(token);
    }

    [Fact]
    public void RenderThenDecode_TokenText_RoundTrips()
    {
        var text = TokenText(seed: 7);

        var png = QrImages.RenderPng(text);
        var decoded = QrImages.TryDecodePng(png, out var result, out var error);

        Assert.True(decoded, error);
        Assert.Equal(text, result);
        Assert.Equal(QrText.Prefix.Length + 165, text.Length);
    }

    [Fact]
    public void RenderThenDecode_ManyTokenTexts_AllRoundTrip()
    {
        // Some symbol layouts defeat ZXing's upright-only search; a gate camera must read them all.
        var failures = new List<string>();
        for (int seed = 0; seed < 300; seed++)
        {
            var text = TokenText(seed);

            if (!QrImages.TryDecodePng(QrImages.RenderPng(text), out var result, out var error) || result != text)
            {
                failures.Add($"seed {seed}: {error}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void QrVersionFor_TokenText_AtMostVersion9()
    {
        var text = TokenText(seed: 11);

        var version = QrImages.QrVersionFor(text);

        // 169 alphanumeric characters: level Q fits 157 in version 8 and 189 in version 9.
        Assert.Equal(9, version);
    }

    [Fact]
    public void RenderPng_LowerCaseText_ThrowsNamingCharacter()
    {
        var error = Assert.Throws<ArgumentException>(() => QrImages.RenderPng("EI1:abc"));

        Assert.Contains("'a' at index 4", error.Message);
    }

    [Fact]
    public void TryDecodePng_NotAnImage_ReturnsError()
    {
        var decoded = QrImages.TryDecodePng([1, 2, 3, 4], out _, out var error);

        Assert.False(decoded);
        Assert.Contains("4-byte frame", error);
    }
}
