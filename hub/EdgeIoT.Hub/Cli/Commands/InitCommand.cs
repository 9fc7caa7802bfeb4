using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Security;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>
/// init: prepares a data directory before the event. Writes hub.settings.json (venue, event id,
/// event end, minimum snapshot size, policy file, ledger URL), which the hub reads at every start,
/// creates hub.db and provisions the venue root key and the first edge keys.
/// </summary>
public static class InitCommand
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
        var init = common.AddTo(new Command("init", "Prepare a data directory for an event and provision its keys.")
        {
            venue, eventId, eventEnd, minSnapshot, policy, ledger,
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
                parseResult.GetValue(ledger));
            Validate(settings, target.DataDirectory);

            Console.WriteLine($"[1/4] Writing {Path.Combine(target.DataDirectory, HubOptions.SettingsFileName)}");
            Directory.CreateDirectory(target.DataDirectory);
            await File.WriteAllTextAsync(
                Path.Combine(target.DataDirectory, HubOptions.SettingsFileName), ToJson(settings), cancellationToken);

            Console.WriteLine($"[2/4] Creating the operator token {OperatorToken.PathIn(target.DataDirectory)} (mode 0600)");
            OperatorToken.LoadOrCreate(target.DataDirectory);

            Console.WriteLine($"[3/4] Creating {Path.Combine(target.DataDirectory, "hub.db")}");
            await using OfflineHub hub = OfflineHub.Open(target.DataDirectory, create: true);

            Console.WriteLine("[4/4] Provisioning the venue root key and the first edge keys");
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

        return new JsonObject { [HubOptions.SectionName] = hub }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private sealed record InitSettings(
        string Venue, uint EventId, DateTimeOffset? EventEnd, int MinSnapshotSize, FileInfo? Policy, string? Ledger);
}
