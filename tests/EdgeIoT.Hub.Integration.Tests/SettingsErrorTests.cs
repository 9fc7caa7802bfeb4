using System.Net;
using System.Net.Sockets;

namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>Invalid settings stop the hub CLI with one line on stderr and exit code 2.</summary>
public sealed class SettingsErrorTests : IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (string folder in _folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover folder in the temp directory is harmless.
            }
        }
    }

    [Theory]
    [InlineData("--Hub:Mqtt:Port=70000", "Hub:Mqtt:Port 70000 is invalid")]
    [InlineData("--Hub:Mqtt:Port=abc", "Hub:Mqtt:Port 'abc' is invalid: use a whole number")]
    [InlineData("--Hub:Mqtt:Mode=Cloud", "Hub:Mqtt:Mode 'Cloud' is invalid: use one of Embedded, External")]
    [InlineData("--Hub:Keys:RotationInterval=soon", "Hub:Keys:RotationInterval 'soon' is invalid")]
    [InlineData("--Hub:Ledger:BaseUrl=ledger", "Hub:Ledger:BaseUrl 'ledger' is not an absolute URL")]
    [InlineData("--Hub:Mqtt:Prot=0", "Hub:Mqtt:Prot is not a hub setting")]
    [InlineData("--Hub:Venu=fair", "Hub:Venu is not a hub setting")]
    public async Task Run_InvalidSetting_Exit2(string setting, string expected)
    {
        string data = NewFolder();

        ToolResult result = await ToolProcess.HubCliAsync("run", "--data", data, setting);

        AssertOneLineError(result, expected);
    }

    [Fact]
    public async Task RunHelp_ExplainsSettings()
    {
        ToolResult result = await ToolProcess.HubCliAsync("run", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:\n  EdgeIoT.Hub run [options] [settings]", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Any setting, such as --Hub:Mqtt:Port=1884", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Additional Arguments", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DatabasePathIsDirectory_Exit2()
    {
        string data = NewFolder();
        Directory.CreateDirectory(Path.Combine(data, "hub.db"));

        ToolResult result = await ToolProcess.HubCliAsync("run", "--data", data);

        AssertOneLineError(result, $"database path '{Path.Combine(data, "hub.db")}' is a directory");
    }

    [Fact]
    public async Task Run_DataDirectoryIsFile_Exit2()
    {
        string file = Path.Combine(NewFolder(), "not-a-directory");
        await File.WriteAllTextAsync(file, "x");

        ToolResult result = await ToolProcess.HubCliAsync("run", "--data", file);

        AssertOneLineError(result, $"Hub:DataDirectory '{file}' is a file");
    }

    [Fact]
    public async Task Run_MqttPortInUse_Exit2()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        int port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        ToolResult result = await ToolProcess.HubCliAsync(
            "run", "--data", NewFolder(), $"--Hub:Mqtt:Port={port}", "--Hub:Http:Urls=http://127.0.0.1:0");

        AssertOneLineError(result, $"Hub:Mqtt:Port {port} is unusable: port {port} on 127.0.0.1 is already in use");
    }

    [Fact]
    public async Task Run_ReplacedKeyFile_OneLineNamesFileAndSettingsFile()
    {
        string data = NewFolder();
        string keyFile = Path.Combine(NewFolder(), "hub.kek");
        ToolResult init = await ToolProcess.HubCliAsync(
            "init", "--data", data, "--venue", "fair", "--event-id", "9", "--encryption-key-file", keyFile);
        Assert.True(init.ExitCode == 0, init.ToString());
        await File.WriteAllTextAsync(keyFile, NewKey());

        ToolResult result = await ToolProcess.HubCliAsync(
            "run", "--data", data, "--Hub:Mqtt:Port=0", "--Hub:Http:Urls=http://127.0.0.1:0");

        AssertOneLineError(
            result,
            $"Hub:Keys:EncryptionKeyFile '{keyFile}' (set in {Path.Combine(data, "hub.settings.json")}) does not decrypt the stored root key");
        Assert.Contains(Path.Combine(data, "hub.db"), result.Error, StringComparison.Ordinal);
        Assert.Contains("Start the hub with the key this hub.db was encrypted with", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WrongKeyFileFromEnvironment_OneLineNamesVariable()
    {
        (string data, string otherKeyFile) = await InitEncryptedWithOtherKeyAsync();

        ToolResult result = await ToolProcess.HubCliAsync(
            new Dictionary<string, string> { ["Hub__Keys__EncryptionKeyFile"] = otherKeyFile },
            "run", "--data", data, "--Hub:Mqtt:Port=0", "--Hub:Http:Urls=http://127.0.0.1:0");

        AssertOneLineError(
            result,
            $"Hub:Keys:EncryptionKeyFile '{otherKeyFile}' (set by the environment variable Hub__Keys__EncryptionKeyFile) does not decrypt");
    }

    [Fact]
    public async Task Run_WrongKeyFileOnCommandLine_OneLineNamesOption()
    {
        (string data, string otherKeyFile) = await InitEncryptedWithOtherKeyAsync();

        ToolResult result = await ToolProcess.HubCliAsync(
            "run", "--data", data, "--Hub:Keys:EncryptionKeyFile=" + otherKeyFile, "--Hub:Mqtt:Port=0", "--Hub:Http:Urls=http://127.0.0.1:0");

        AssertOneLineError(result, $"Hub:Keys:EncryptionKeyFile '{otherKeyFile}' (set on the command line) does not decrypt");
    }

    [Fact]
    public async Task Import_MissingFile_Exit2()
    {
        ToolResult result = await ToolProcess.HubCliAsync("import", "/nonexistent.csv", "--data", NewFolder());

        AssertOneLineError(result, "Guest list '/nonexistent.csv' was not found");
    }

    [Fact]
    public async Task Import_MissingRelativeFile_ErrorShowsFullPath()
    {
        ToolResult result = await ToolProcess.HubCliAsync("import", "no-such-guests.csv", "--data", NewFolder());

        AssertOneLineError(result, $"Guest list '{Path.GetFullPath("no-such-guests.csv")}' was not found");
    }

    [Theory]
    [InlineData("run", "--bogus")]
    [InlineData("run", "--Hub-Mqtt-Port=0")]
    [InlineData("import", "--dta")]
    public async Task Command_UnknownOption_Exit2NamesOption(string command, string option)
    {
        string csv = Path.Combine(NewFolder(), "guests.csv");
        await File.WriteAllTextAsync(csv, Guests.Range(1, 3));
        string[] arguments = command == "import" ? ["import", csv, option, NewFolder()] : [command, "--data", NewFolder(), option];

        ToolResult result = await ToolProcess.HubCliAsync(arguments);

        AssertOneLineError(result, $"Unrecognized option or argument '{option}'");
    }

    [Fact]
    public async Task Command_Misspelt_OneLineWithSuggestion()
    {
        ToolResult result = await ToolProcess.HubCliAsync("stauts", "--data", NewFolder());

        AssertOneLineError(result, "'stauts' is not a hub command. Did you mean 'status'?");
    }

    [Fact]
    public async Task Import_Directory_Exit2()
    {
        string folder = NewFolder();

        ToolResult result = await ToolProcess.HubCliAsync("import", folder, "--data", NewFolder());

        AssertOneLineError(result, $"'{folder}' is a directory: give the guest list CSV file");
    }

    [Fact]
    public async Task Import_NoHubInDataDirectory_Exit2()
    {
        string csv = Path.Combine(NewFolder(), "guests.csv");
        await File.WriteAllTextAsync(csv, Guests.Range(1, 3));
        string mistyped = Path.Combine(NewFolder(), "venu");

        ToolResult result = await ToolProcess.HubCliAsync("import", csv, "--data", mistyped);

        AssertOneLineError(result, $"No hub database at {Path.Combine(mistyped, "hub.db")}: run 'init --data {mistyped}' first");
        Assert.False(Directory.Exists(mistyped), "import created the mistyped data directory");
    }

    [Theory]
    [InlineData("run", "--Hub:Mqtt:Port=0", "--Hub:Http:Urls=http://127.0.0.1:0")]
    [InlineData("status")]
    [InlineData("keys", "list")]
    public async Task Command_DatabaseIsRandomBytes_Exit2NamesFile(params string[] command)
    {
        string data = NewFolder();
        string database = Path.Combine(data, "hub.db");
        await File.WriteAllBytesAsync(database, System.Security.Cryptography.RandomNumberGenerator.GetBytes(8192));

        string[] arguments = [.. command, "--data", data];

        ToolResult result = await ToolProcess.HubCliAsync(arguments);

        AssertOneLineError(result, $"'{database}' is not a hub database or is damaged");
    }

    [Theory]
    [InlineData("run", "--Hub:Mqtt:Port=0", "--Hub:Http:Urls=http://127.0.0.1:0")]
    [InlineData("status")]
    public async Task Command_DatabaseSchemaPageDamaged_Exit2NamesFile(params string[] command)
    {
        string data = NewFolder();
        ToolResult init = await ToolProcess.HubCliAsync("init", "--data", data, "--venue", "fair", "--event-id", "9");
        Assert.True(init.ExitCode == 0, init.ToString());
        string database = Path.Combine(data, "hub.db");
        byte[] bytes = await File.ReadAllBytesAsync(database);

        // Keeps the 100-byte file header, so only SQLite's read of the schema on page 1 finds the damage.
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes.AsSpan(100, 4096 - 100));
        await File.WriteAllBytesAsync(database, bytes);
        string[] arguments = [.. command, "--data", data];

        ToolResult result = await ToolProcess.HubCliAsync(arguments);

        AssertOneLineError(result, $"'{database}' is not a hub database or is damaged");
    }

    [Fact]
    public async Task Run_DataDirectoryInUse_Exit2NamesProcess()
    {
        await using HubProcess running = await HubProcess.StartAsync();

        ToolResult result = await ToolProcess.HubCliAsync(
            "run", "--data", running.DataDirectory, "--Hub:Mqtt:Port=0", "--Hub:Http:Urls=http://127.0.0.1:0");

        AssertOneLineError(
            result, $"Hub:DataDirectory '{running.DataDirectory}' is in use by process {running.ProcessId} (EdgeIoT.Hub.dll run)");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Status_DataDirectoryNotReadable_Exit2()
    {
        string data = NewFolder();
        ToolResult init = await ToolProcess.HubCliAsync("init", "--data", data, "--venue", "fair", "--event-id", "9");
        Assert.True(init.ExitCode == 0, init.ToString());

        ToolResult result;
        if (Environment.IsPrivilegedProcess)
        {
            // Root can read every folder, so the command runs as the unprivileged user "nobody" on a
            // folder that only root may list.
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            result = await ToolProcess.RunAsync(
                "setpriv",
                ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", EdgeIoT.EndToEnd.Tests.RepositoryPaths.BuildOutput("hub/EdgeIoT.Hub"), "status", "--data", data],
                TimeSpan.FromSeconds(60),
                new Dictionary<string, string> { ["HOME"] = Path.GetTempPath(), ["DOTNET_CLI_HOME"] = Path.GetTempPath() });
        }
        else
        {
            File.SetUnixFileMode(data, UnixFileMode.None);
            result = await ToolProcess.HubCliAsync("status", "--data", data);
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        AssertOneLineError(result, $"Hub:DataDirectory '{data}' is unusable: user '");
        Assert.Contains("may not read it. Run the command as the user that runs the hub", result.Error, StringComparison.Ordinal);
    }

    private static string NewKey() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n";

    private string NewFolder()
    {
        string folder = HubProcess.NewDataDirectory();
        _folders.Add(folder);
        return folder;
    }

    /// <summary>Initializes a hub whose keys are encrypted with one key file, and writes a second, wrong key file.</summary>
    private async Task<(string Data, string OtherKeyFile)> InitEncryptedWithOtherKeyAsync()
    {
        string data = NewFolder();
        string keyFile = Path.Combine(NewFolder(), "hub.kek");
        string otherKeyFile = Path.Combine(NewFolder(), "other.kek");
        await File.WriteAllTextAsync(otherKeyFile, NewKey());
        ToolResult init = await ToolProcess.HubCliAsync(
            "init", "--data", data, "--venue", "fair", "--event-id", "9", "--encryption-key-file", keyFile);
        Assert.True(init.ExitCode == 0, init.ToString());
        return (data, otherKeyFile);
    }

    private static void AssertOneLineError(ToolResult result, string expected)
    {
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(lines);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }
}
