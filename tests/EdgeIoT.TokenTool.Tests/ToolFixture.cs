using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.TokenTool.Tests;

/// <summary>Generated venue keys, a signed key list file and a temporary folder for inputs.</summary>
internal sealed class ToolFixture : IDisposable
{
    public const uint EventId = 31;
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    public ToolFixture()
    {
        Directory.CreateDirectory(Folder);
        Root = SigningKey.Generate(Now.AddDays(-1), Now.AddDays(1));
        EdgeKey = SigningKey.Generate(Now.AddHours(-1), Now.AddHours(1));
        EventKey = SigningKey.Generate(Now.AddHours(-1), Now.AddHours(10));
        var list = new KeyList(4, EventId, [TokenIssuer.ToKeyEntry(EdgeKey), TokenIssuer.ToEventKeyEntry(EventKey)]);
        KeyListFile = Write("keys.bin", TokenIssuer.SignKeyList(list, Root));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "edgeiot-tokentool-tests", Guid.NewGuid().ToString("N"));

    public SigningKey Root { get; }

    public SigningKey EdgeKey { get; }

    public SigningKey EventKey { get; }

    public string KeyListFile { get; }

    public string RootBase64 => Convert.ToBase64String(Root.PublicKey);

    public string NowArgument => Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static TokenClaims Claims() => new()
    {
        Type = TokenType.Session,
        EventId = EventId,
        LifetimeSeconds = 120,
        EntitlementId = 808,
        Epoch = 2,
        Role = GuestRole.Guest,
        Zone = 1,
        SpendAllowanceMinor = 1500,
    };

    public byte[] Issue() => TokenIssuer.Issue(Claims(), EdgeKey, Now);

    public string Write(string name, byte[] content)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string WriteText(string name, string content)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs the tool in-process and returns its exit code and both outputs.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await TokenToolCommands.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Root.Dispose();
        EdgeKey.Dispose();
        EventKey.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
