using System.Diagnostics;
using System.Security.Cryptography;
using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.TokenTool.Tests;

public sealed class InspectCommandTests : IDisposable
{
    private readonly ToolFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Inspect_ValidQrText_ExitsZeroAndPrintsClaims()
    {
        string qr = QrText.Encode(_fixture.Issue());

        var (exitCode, output, _) = await ToolFixture.RunAsync(
            "inspect", "--qr", qr, "--key-list", _fixture.KeyListFile, "--root-key", _fixture.RootBase64, "--now", _fixture.NowArgument);

        Assert.Equal(TokenToolCommands.Valid, exitCode);
        Assert.Contains("entitlement id:   808, epoch 2", output, StringComparison.Ordinal);
        Assert.Contains($"kid:              {KeyIds.ToHex(_fixture.EdgeKey.KeyId)} (edge key)", output, StringComparison.Ordinal);
        Assert.Contains("spend allowance:  1500 minor units", output, StringComparison.Ordinal);
        Assert.Contains("verdict:          valid", output, StringComparison.Ordinal);
        Assert.Contains("root pinned by --root-key", output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Inspect_ExpiredToken_ExitsOneWithReason()
    {
        string qr = QrText.Encode(_fixture.Issue());
        string later = (ToolFixture.Now.ToUnixTimeSeconds() + 600).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, output, _) = await ToolFixture.RunAsync(
            "inspect", "--qr", qr, "--key-list", _fixture.KeyListFile, "--root-key", _fixture.RootBase64, "--now", later);

        Assert.Equal(TokenToolCommands.Rejected, exitCode);
        Assert.Contains("rejected, expired: expired at", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_FileOfLines_ReportsEachLine()
    {
        byte[] tampered = _fixture.Issue();
        tampered[TokenLayout.SpendAllowanceOffset] ^= 0x10;
        string file = _fixture.WriteText("scans.txt", string.Join(
            "\n", QrText.Encode(_fixture.Issue()), "", "ei1:lowercase", QrText.Encode(tampered), "]Q1" + QrText.Encode(_fixture.Issue())));

        var (exitCode, output, _) = await ToolFixture.RunAsync(
            "inspect", "--file", file, "--key-list", _fixture.KeyListFile, "--root-key", _fixture.RootBase64, "--now", _fixture.NowArgument);

        Assert.Equal(TokenToolCommands.Rejected, exitCode);
        Assert.Contains("line 3 of scans.txt", output, StringComparison.Ordinal);
        Assert.Contains("rejected, scanner_misconfigured", output, StringComparison.Ordinal);
        Assert.Contains("rejected, bad_signature", output, StringComparison.Ordinal);
        Assert.Contains("2 of 4 valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_NdefTagFile_ExitsZero()
    {
        string tag = _fixture.Write("tag.bin", NdefToken.EncodeTagData(_fixture.Issue()));

        var (exitCode, output, _) = await ToolFixture.RunAsync(
            "inspect", "--ndef", tag, "--key-list", _fixture.KeyListFile, "--root-key", _fixture.RootBase64, "--now", _fixture.NowArgument);

        Assert.Equal(TokenToolCommands.Valid, exitCode);
        Assert.Contains("NFC Type 2 tag data, 128 bytes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_WristbandTagWithUid_ValidOnlyForBoundChip()
    {
        TokenClaims claims = ToolFixture.Claims();
        claims.LifetimeSeconds = 3600;
        byte[] credential = TokenIssuer.IssueWristband(claims, _fixture.EventKey, ToolFixture.Now, Convert.FromHexString("04A22B6A3C5880"));
        string tag = _fixture.Write("wristband.bin", NdefToken.EncodeTagData(credential));
        string[] common = ["inspect", "--ndef", tag, "--key-list", _fixture.KeyListFile, "--root-key", _fixture.RootBase64, "--now", _fixture.NowArgument];

        var (bound, boundOutput, _) = await ToolFixture.RunAsync([.. common, "--uid", "04:A2:2B:6A:3C:58:80"]);
        var (copy, copyOutput, _) = await ToolFixture.RunAsync([.. common, "--uid", "045E910A771280"]);
        var (badUid, _, badUidError) = await ToolFixture.RunAsync([.. common, "--uid", "04A2"]);

        Assert.Equal(TokenToolCommands.Valid, bound);
        Assert.Contains("bound chip UID:   04A22B6A3C5880", boundOutput, StringComparison.Ordinal);
        Assert.Equal(TokenToolCommands.Rejected, copy);
        Assert.Contains("rejected, uid_mismatch", copyOutput, StringComparison.Ordinal);
        Assert.Equal(TokenToolCommands.UsageError, badUid);
        Assert.Contains("--uid '04A2' is invalid", badUidError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_TruncatedNdefHex_ExitsOneNamingField()
    {
        string hex = Convert.ToHexString(NdefToken.Encode(_fixture.Issue())[..100]);

        var (exitCode, output, _) = await ToolFixture.RunAsync(
            "inspect", "--ndef-hex", hex, "--key-list", _fixture.KeyListFile, "--root-key", _fixture.RootBase64, "--now", _fixture.NowArgument);

        Assert.Equal(TokenToolCommands.Rejected, exitCode);
        Assert.Contains("rejected, malformed: NDEF message is 100 bytes, expected 125", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_PassWithRotatingKeyFile_ExitsZero()
    {
        byte[] rotatingKey = RandomNumberGenerator.GetBytes(RotatingCode.KeyLength);
        TokenClaims claims = ToolFixture.Claims();
        claims.LifetimeSeconds = 3600;
        byte[] pass = TokenIssuer.IssuePass(claims, _fixture.EventKey, ToolFixture.Now);
        string qr = QrText.Encode(RotatingCode.Append(pass, RotatingCode.DeriveSecret(rotatingKey, pass), (ulong)ToolFixture.Now.ToUnixTimeSeconds()));
        string keyFile = _fixture.WriteText("rotating.key", Convert.ToBase64String(rotatingKey));

        var (withKey, output, _) = await ToolFixture.RunAsync(
            "inspect", "--qr", qr, "--key-list", _fixture.KeyListFile, "--root-key", _fixture.RootBase64,
            "--now", _fixture.NowArgument, "--rotating-key-file", keyFile);
        var (withoutKey, withoutOutput, _) = await ToolFixture.RunAsync(
            "inspect", "--qr", qr, "--key-list", _fixture.KeyListFile, "--root-key", _fixture.RootBase64, "--now", _fixture.NowArgument);

        Assert.Equal(TokenToolCommands.Valid, withKey);
        Assert.Contains("rotating code:    step", output, StringComparison.Ordinal);
        Assert.Equal(TokenToolCommands.Rejected, withoutKey);
        Assert.Contains("rotating_code_invalid", withoutOutput, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Inspect_KeyListOfOtherRoot_ExitsTwoNamingCause()
    {
        using SigningKey otherRoot = SigningKey.Generate(ToolFixture.Now.AddDays(-1), ToolFixture.Now.AddDays(1));

        var (exitCode, _, error) = await ToolFixture.RunAsync(
            "inspect", "--qr", QrText.Encode(_fixture.Issue()), "--key-list", _fixture.KeyListFile,
            "--root-key", Convert.ToBase64String(otherRoot.PublicKey));

        Assert.Equal(TokenToolCommands.UsageError, exitCode);
        Assert.Contains("signature does not verify with the provisioned venue root key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_BinaryKeyListWithoutRoot_ExitsTwo()
    {
        var (exitCode, _, error) = await ToolFixture.RunAsync(
            "inspect", "--qr", QrText.Encode(_fixture.Issue()), "--key-list", _fixture.KeyListFile);

        Assert.Equal(TokenToolCommands.UsageError, exitCode);
        Assert.Contains("pass --root-key", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--hub", "ftp://127.0.0.1/", "--hub 'ftp://127.0.0.1/' is not an absolute http or https URL")]
    [InlineData("--hub", "127.0.0.1:5080", "is not an absolute http or https URL")]
    [InlineData("--zone", "300", "--zone 300 is invalid")]
    [InlineData("--root-key", "not base64!", "--root-key is not base64")]
    public async Task Inspect_InvalidOption_ExitsTwoNamingValue(string option, string value, string expected)
    {
        string[] keys = option == "--hub" ? [] : ["--key-list", _fixture.KeyListFile];

        var (exitCode, _, error) = await ToolFixture.RunAsync(
            ["inspect", "--qr", "EI1:00", .. keys, option, value]);

        Assert.Equal(TokenToolCommands.UsageError, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("--qr", "Required argument missing for option: '--qr'")]
    public async Task Inspect_ParseError_ExitsTwo(string argument, string expected)
    {
        var (exitCode, output, error) = await ToolFixture.RunAsync("inspect", argument);

        Assert.Equal(TokenToolCommands.UsageError, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("Run 'edgeiot-token inspect --help'", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    // 87 characters after the prefix are whole 3-character groups, which always decode. 85
    // leave a single character over, which Base45 (RFC 9285) never produces.
    [InlineData(91, "QR text is truncated: it decodes to 58 bytes, but a token has at least 110")]
    [InlineData(89, "QR text is truncated: 85 Base45 characters follow EI1:, but a token has 165")]
    public async Task Inspect_TruncatedQrText_OneLineNamingInput(int keptCharacters, string expected)
    {
        string whole = QrText.Encode(_fixture.Issue());

        var (exitCode, output, _) = await ToolFixture.RunAsync(
            "inspect", "--qr", whole[..keptCharacters], "--key-list", _fixture.KeyListFile, "--root-key", _fixture.RootBase64, "--now", _fixture.NowArgument);

        string line = Assert.Single(output.Split('\n'), l => l.StartsWith("--qr #1", StringComparison.Ordinal));
        Assert.Equal(TokenToolCommands.Rejected, exitCode);
        Assert.Contains("rejected, malformed: " + expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_KeyListAsBase64Text_ExitsTwoNamingFile()
    {
        string text = _fixture.WriteText("keys.txt", Convert.ToBase64String(File.ReadAllBytes(_fixture.KeyListFile)));

        var (exitCode, _, error) = await ToolFixture.RunAsync(
            "inspect", "--qr", QrText.Encode(_fixture.Issue()), "--key-list", text, "--root-key", _fixture.RootBase64);

        Assert.Equal(TokenToolCommands.UsageError, exitCode);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("Key list file 'keys.txt' is text, not the binary key list or the JSON of GET /api/keys", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_AsProcess_UnknownOptionExitsTwo()
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "edgeiot-token.dll");

        int exitCode = await RunProcessAsync(tool, "inspect", "--no-such-option");

        Assert.Equal(TokenToolCommands.UsageError, exitCode);
    }

    [Fact]
    public async Task Inspect_AsProcess_ExitCodeFollowsVerdict()
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "edgeiot-token.dll");
        string valid = QrText.Encode(_fixture.Issue());

        int validExit = await RunProcessAsync(tool, "inspect", "--qr", valid, "--key-list", _fixture.KeyListFile,
            "--root-key", _fixture.RootBase64, "--now", _fixture.NowArgument);
        int rejectedExit = await RunProcessAsync(tool, "inspect", "--qr", valid, "--key-list", _fixture.KeyListFile,
            "--root-key", _fixture.RootBase64, "--now", "1");

        Assert.Equal(0, validExit);
        Assert.Equal(1, rejectedExit);
    }

    private static async Task<int> RunProcessAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(output, error);
        return process.ExitCode;
    }
}
