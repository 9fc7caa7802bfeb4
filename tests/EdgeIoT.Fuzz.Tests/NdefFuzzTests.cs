using System.Text.RegularExpressions;
using CsCheck;
using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// NFC tags a gate reads: NDEF messages and Type 2 tag data, whole, damaged or written by
/// another app. The parser returns the token bytes only for the exact token record shape and
/// otherwise names the field that is wrong.
/// </summary>
public sealed partial class NdefFuzzTests : IDisposable
{
    private readonly Corpus _corpus = new();

    [Fact]
    public void NdefMessage_Mutants_ParseExactlyOrNameField()
    {
        IReadOnlyList<byte[]> messages = [.. _corpus.Tokens.Select(NdefToken.Encode)];
        var genuine = new HashSet<string>(_corpus.Tokens.Select(Convert.ToHexString));
        Mutator.Mutants(messages).Sample(message =>
        {
            ParserProbe.Run("NdefToken.TryParse", message, () =>
            {
                byte[]? token = NdefToken.TryParse(message, out string? error);
                Check(message, token, error, genuine);
            });
        }, iter: FuzzBudget.Iterations(20_000));
    }

    [Fact]
    public void NdefTagData_Mutants_ParseExactlyOrNameField()
    {
        IReadOnlyList<byte[]> tags =
        [
            .. _corpus.Tokens.Select(NdefToken.EncodeTagData),
            [0x00, 0x00, .. NdefToken.EncodeTagData(_corpus.Tokens[0])],
        ];
        var genuine = new HashSet<string>(_corpus.Tokens.Select(Convert.ToHexString));
        Mutator.Mutants(tags).Sample(data =>
        {
            ParserProbe.Run("NdefToken.TryParseTagData", data, () =>
            {
                byte[]? token = NdefToken.TryParseTagData(data, out string? error);
                Check(data, token, error, genuine);
            });
        }, iter: FuzzBudget.Iterations(20_000));
    }

    [Fact]
    public void NdefTagData_RandomBytes_NeverThrow()
    {
        Gen.Byte.Array[0, 200].Sample(data =>
        {
            ParserProbe.Run("NdefToken.TryParseTagData", data, () =>
            {
                byte[]? token = NdefToken.TryParseTagData(data, out string? error);
                Assert.True(token is not null || !string.IsNullOrWhiteSpace(error), "rejected without an error");
            });
        }, iter: FuzzBudget.Iterations(10_000));
    }

    public void Dispose() => _corpus.Dispose();

    private static void Check(byte[] input, byte[]? token, string? error, HashSet<string> genuine)
    {
        if (token is null)
        {
            Assert.False(string.IsNullOrWhiteSpace(error), "rejected without an error");
            Assert.Matches(FieldNamed(), error);
            return;
        }

        Assert.Null(error);
        Assert.True(token.Length is TokenLayout.TotalLength or WristbandCredential.TotalLength, $"token of {token.Length} bytes");

        // The parser checks the record, not the signature: a changed payload may parse, but it
        // must be the bytes of the record, which the verifier then rejects.
        Assert.True(Contains(input, token) || genuine.Contains(Convert.ToHexString(token)),
            $"returned bytes that are not in the input: {Convert.ToHexString(token)}");
    }

    private static bool Contains(byte[] input, byte[] token) =>
        input.AsSpan().IndexOf(token) >= 0;

    /// <summary>Every rejection names the NDEF field, the TLV or the tag data that is wrong.</summary>
    [GeneratedRegex("^(NDEF (message|record|payload|TLV)|tag data)")]
    private static partial Regex FieldNamed();
}
