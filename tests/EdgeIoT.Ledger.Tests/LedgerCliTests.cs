using EdgeIoT.EndToEnd.Tests;
using System.Net;
using System.Net.Sockets;

namespace EdgeIoT.Ledger.Tests;

/// <summary>
/// The ledger's command line as its own process (dotnet EdgeIoT.Ledger.dll): a mistake in an option,
/// a path or a port stops it with one error line and exit code 2, before it listens.
/// </summary>
public sealed class LedgerCliTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("edgeiot-ledger-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("--sqlite-pth", "x")]
    [InlineData("--bogus")]
    public async Task UnknownOption_Exit2NamesOption(params string[] mistake)
    {
        string[] arguments = ["--urls", "http://127.0.0.1:0", "--sqlite-path", Path.Combine(_folder, "ledger.db"), .. mistake];

        CliRun result = await RunLedgerAsync(arguments);

        AssertOneLineError(result, $"Unrecognized option or argument '{mistake[0]}'");
        Assert.False(File.Exists(Path.Combine(_folder, "ledger.db")), "the ledger started despite the unknown option");
    }

    [Theory]
    [InlineData("--Ledger:MaxBatchEvent=500", "Ledger:MaxBatchEvent is not a ledger setting")]
    [InlineData("--Ledger:MaxBatchEvents=many", "Ledger:MaxBatchEvents 'many' is invalid: use a whole number")]
    public async Task MistypedSetting_Exit2NamesSetting(string setting, string expected)
    {
        string[] arguments = ["--urls", "http://127.0.0.1:0", "--sqlite-path", Path.Combine(_folder, "ledger.db"), setting];

        CliRun result = await RunLedgerAsync(arguments);

        AssertOneLineError(result, expected);
        Assert.False(File.Exists(Path.Combine(_folder, "ledger.db")), "the ledger started despite the mistyped setting");
    }

    [Fact]
    public async Task SqlitePathUnderFile_Exit2NamesFile()
    {
        string file = Path.Combine(_folder, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");

        CliRun result = await RunLedgerAsync("--urls", "http://127.0.0.1:0", "--sqlite-path", Path.Combine(file, "ledger.db"));

        AssertOneLineError(result, $"'{file}' is a file, not a folder");
    }

    [Fact]
    public async Task SqliteFileRandomBytes_Exit2NamesFile()
    {
        string database = Path.Combine(_folder, "ledger.db");
        await File.WriteAllBytesAsync(database, System.Security.Cryptography.RandomNumberGenerator.GetBytes(8192));

        CliRun result = await RunLedgerAsync("--urls", "http://127.0.0.1:0", "--sqlite-path", database);

        AssertOneLineError(result, $"Ledger:Sqlite:Path '{database}' is not a SQLite database");
    }

    [Fact]
    public async Task PortInUse_Exit2NamesPort()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        int port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        CliRun result = await RunLedgerAsync(
            "--urls", $"http://127.0.0.1:{port}", "--sqlite-path", Path.Combine(_folder, "ledger.db"));

        AssertOneLineError(result, $"Ledger:Urls 'http://127.0.0.1:{port}' is unusable: port {port} on 127.0.0.1 is already in use");
    }

    private static Task<CliRun> RunLedgerAsync(params string[] arguments) =>
        CliRun.RunDllAsync(typeof(LedgerOptions).Assembly.Location, arguments, ExitTimeout);

    private static void AssertOneLineError(CliRun result, string expected)
    {
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(lines);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }
}
