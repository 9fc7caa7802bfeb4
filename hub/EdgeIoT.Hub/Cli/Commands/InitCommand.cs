using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Security;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>
/// init: prepares a data directory before the event. Writes hub.settings.json (venue, event id,
/// event end, minimum snapshot size, policy file, ledger URL, key-encryption key), which the hub
/// reads at every start, creates hub.db and provisions the venue root key and the first edge keys.
/// </summary>
public static partial class InitCommand
{
    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var venue = new Option<string>("--venue") { Description = "Venue name, the second level of every MQTT topic.", Required = true };
        var eventId = new Option<uint>("--event-id") { Description = "Event id carried in tokens, key lists and snapshots (1 or more).", Required = true };
        var eventEnd = new Option<DateTimeOffset?>("--event-end")
        {
            Description = "End of the event (ISO 8601, such as 2026-12-05T02:00:00Z); assistant delegations expire then.",
        };
        var minSnapshot = new Option<int>("--min-snapshot-size")
        {
            Description = "Fewest entitlements a snapshot may hold before it is sent to gates; set it near the expected guest count.",
            DefaultValueFactory = _ => 1,
        };
        var policy = new Option<FileInfo?>("--policy") { Description = "Offline policy JSON file published to the gates." };
        var ledger = new Option<string?>("--ledger") { Description = "Base URL of the central ledger, such as http://ledger.example:5090." };
        var keyFile = new Option<FileInfo?>("--encryption-key-file")
        {
            Description = "File with the key-encryption key that encrypts the private keys in hub.db; created with a new random "
                + "key (mode 0600) when missing. Keep it off the disk that holds hub.db where possible.",
        };
        var keyVariable = new Option<string?>("--encryption-key-variable")
        {
            Description = "Name of an environment variable with the key-encryption key (base64 of 32 random bytes), which "
                + "must be set for init and for every start of the hub.",
        };
        var init = common.AddTo(new Command("init", "Prepare a data directory for an event and provision its keys.")
        {
            venue, eventId, eventEnd, minSnapshot, policy, ledger, keyFile, keyVariable,
        });
        CliRunner.SetAction(init, async (parseResult, cancellationToken) =>
        {
            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            target.RequireStopped("init");
            var settings = new InitSettings(
                parseResult.GetRequiredValue(venue),
                parseResult.GetValue(eventId),
                parseResult.GetValue(eventEnd),
                parseResult.GetValue(minSnapshot),
                parseResult.GetValue(policy),
                parseResult.GetValue(ledger),
                parseResult.GetValue(keyFile),
                parseResult.GetValue(keyVariable));
            Validate(settings, target.DataDirectory);

            PrepareEncryptionKey(settings);

            Console.WriteLine($"[2/5] Writing {Path.Combine(target.DataDirectory, HubOptions.SettingsFileName)}");
            Directory.CreateDirectory(target.DataDirectory);
            await File.WriteAllTextAsync(
                Path.Combine(target.DataDirectory, HubOptions.SettingsFileName), ToJson(settings), cancellationToken);

            Console.WriteLine($"[3/5] Creating the operator token {OperatorToken.PathIn(target.DataDirectory)} (mode 0600)");
            OperatorToken.LoadOrCreate(target.DataDirectory);

            Console.WriteLine($"[4/5] Creating {Path.Combine(target.DataDirectory, "hub.db")}");
            await using OfflineHub hub = OfflineHub.Open(target.DataDirectory, create: true);

            Console.WriteLine("[5/5] Provisioning the venue root key and the first edge keys");
            KeyRing keys = hub.Get<KeyRing>();
            keys.Load();
            IReadOnlyList<KeyInfo> list = keys.List();
            Console.WriteLine($"Venue {hub.Options.Venue}, event {hub.Options.EventId}, root public key {Convert.ToBase64String(keys.RootPublicKey)}");
            Console.WriteLine($"{list.Count(key => key.Usage == "edge")} edge keys; next: 'import GUESTS.csv', 'devices enroll ID', then 'run'.");
            Console.WriteLine($"The dashboard login and the HTTP API's administrative routes need the token in {OperatorToken.PathIn(target.DataDirectory)}.");
            return 0;
        });
        return init;
    }

    private static void Validate(InitSettings settings, string dataDirectory)
    {
        if (File.Exists(Path.Combine(dataDirectory, HubOptions.SettingsFileName)))
        {
            throw new CliException(
                $"{Path.Combine(dataDirectory, HubOptions.SettingsFileName)} exists: this directory is initialized. "
                + "Edit that file, or choose an empty --data directory for a new event.");
        }

        if (File.Exists(Path.Combine(dataDirectory, "hub.db")))
        {
            throw new CliException(
                $"{Path.Combine(dataDirectory, "hub.db")} exists without settings; choose an empty --data directory for a new event.");
        }

        if (settings.EventId == 0)
        {
            throw new CliException("--event-id 0 is invalid: use 1 or more.");
        }

        if (settings.MinSnapshotSize < 1)
        {
            throw new CliException($"--min-snapshot-size {settings.MinSnapshotSize} is invalid: use 1 or more, so an empty snapshot never reaches a gate.");
        }

        if (settings.Policy is { Exists: false })
        {
            throw new CliException($"--policy {settings.Policy.FullName} does not exist.");
        }

        if (settings.Ledger is string ledger && !Uri.TryCreate(ledger, UriKind.Absolute, out _))
        {
            throw new CliException($"--ledger '{ledger}' is not an absolute URL, such as http://127.0.0.1:5090.");
        }

        ValidateEncryptionKey(settings);

        var options = new HubOptions { Venue = settings.Venue, DataDirectory = dataDirectory };
        try
        {
            options.Validate();
        }
        catch (InvalidOperationException exception)
        {
            throw new CliException(exception.Message.Replace("Hub:Venue", "--venue", StringComparison.Ordinal), exception);
        }
    }

    private static string ToJson(InitSettings settings)
    {
        var hub = new JsonObject
        {
            ["Venue"] = settings.Venue,
            ["EventId"] = settings.EventId,
            ["MinSnapshotSize"] = settings.MinSnapshotSize,
        };
        if (settings.EventEnd is DateTimeOffset end)
        {
            hub["EventEnd"] = end.ToString("O", CultureInfo.InvariantCulture);
        }

        if (settings.Policy is not null)
        {
            hub["PolicyFile"] = settings.Policy.FullName;
        }

        if (settings.Ledger is not null)
        {
            hub["Ledger"] = new JsonObject { ["BaseUrl"] = settings.Ledger };
        }

        if (settings.EncryptionKeyFile is not null)
        {
            hub["Keys"] = new JsonObject { ["EncryptionKeyFile"] = settings.EncryptionKeyFile.FullName };
        }
        else if (settings.EncryptionKeyVariable is not null)
        {
            hub["Keys"] = new JsonObject { ["EncryptionKeyVariable"] = settings.EncryptionKeyVariable };
        }

        return new JsonObject { [HubOptions.SectionName] = hub }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void ValidateEncryptionKey(InitSettings settings)
    {
        if (settings.EncryptionKeyFile is not null && settings.EncryptionKeyVariable is not null)
        {
            throw new CliException("--encryption-key-file and --encryption-key-variable are both given: use one of them.");
        }

        if (settings.EncryptionKeyVariable is string name && !EnvironmentVariableName().IsMatch(name))
        {
            throw new CliException(
                $"--encryption-key-variable '{name}' is not an environment variable name: use letters, digits and '_', such as EDGEIOT_HUB_KEK.");
        }

        // Reading the key now stops init before it writes anything when the file or variable is unusable.
        try
        {
            KeyEncryption.FromOptions(new KeyOptions
            {
                EncryptionKeyFile = settings.EncryptionKeyFile is { Exists: true } file ? file.FullName : null,
                EncryptionKeyVariable = settings.EncryptionKeyVariable,
            });
        }
        catch (HubSettingsException exception)
        {
            string message = exception.Message
                .Replace("Hub:Keys:EncryptionKeyFile", "--encryption-key-file", StringComparison.Ordinal)
                .Replace("Hub:Keys:EncryptionKeyVariable", "--encryption-key-variable", StringComparison.Ordinal);
            throw new CliException(message, exception);
        }

        if (settings.EncryptionKeyFile is { Exists: false } missing && !Directory.Exists(missing.DirectoryName))
        {
            throw new CliException($"--encryption-key-file {missing.FullName} cannot be created: its folder {missing.DirectoryName} does not exist.");
        }
    }

    private static void PrepareEncryptionKey(InitSettings settings)
    {
        if (settings.EncryptionKeyFile is { } file)
        {
            if (file.Exists)
            {
                Console.WriteLine($"[1/5] Using the key-encryption key in {file.FullName}");
                return;
            }

            Console.WriteLine($"[1/5] Creating the key-encryption key {file.FullName} (mode 0600); back it up, because the keys in hub.db cannot be decrypted without it");
            try
            {
                KeyEncryption.CreateKeyFile(file.FullName);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--encryption-key-file {file.FullName} cannot be created: {exception.Message}", exception);
            }

            return;
        }

        Console.WriteLine(settings.EncryptionKeyVariable is string name
            ? $"[1/5] Using the key-encryption key in the environment variable {name}; set it for every start of the hub"
            : "[1/5] No key-encryption key: private keys are stored unencrypted in hub.db (see --encryption-key-file)");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariableName();

    private sealed record InitSettings(
        string Venue,
        uint EventId,
        DateTimeOffset? EventEnd,
        int MinSnapshotSize,
        FileInfo? Policy,
        string? Ledger,
        FileInfo? EncryptionKeyFile,
        string? EncryptionKeyVariable);
}
