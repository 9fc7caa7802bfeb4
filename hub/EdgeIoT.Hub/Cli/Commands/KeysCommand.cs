using System.CommandLine;
using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>keys provision|list|rotate|revoke: the venue root key and the rotating edge keys.</summary>
public static class KeysCommand
{
    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var provision = common.AddTo(new Command("provision",
            "Create the venue root key and the first edge keys if missing, and list them."));
        CliRunner.SetAction(provision, (parseResult, cancellationToken) => RunAsync(parseResult, common,
            online: async api =>
            {
                Console.Error.WriteLine("The running hub provisioned its keys when it started; listing them.");
                return await ListOnlineAsync(api, cancellationToken);
            },
            offline: keys => keys.List(),
            cancellationToken));

        var list = common.AddTo(new Command("list", "List the root key and the edge keys with their signing windows."));
        CliRunner.SetAction(list, (parseResult, cancellationToken) => RunAsync(parseResult, common,
            online: api => ListOnlineAsync(api, cancellationToken),
            offline: keys => keys.List(),
            cancellationToken));

        var rotate = common.AddTo(new Command("rotate",
            "Start a new edge signing key now; tokens signed by the previous key stay valid until they expire."));
        CliRunner.SetAction(rotate, (parseResult, cancellationToken) => RunAsync(parseResult, common,
            online: async api =>
            {
                await api.PostAsync<KeyInfo>("/api/keys/rotate", content: null, cancellationToken);
                return await ListOnlineAsync(api, cancellationToken);
            },
            offline: keys =>
            {
                keys.RotateNow(AuditActors.Operator);
                return keys.List();
            },
            cancellationToken));

        var kid = new Argument<string>("kid") { Description = "Key id as 'keys list' shows it (16 hex digits)." };
        var revoke = common.AddTo(new Command("revoke",
            "Revoke an edge key: devices reject every token it signed; a new key signs from now.") { kid });
        CliRunner.SetAction(revoke, (parseResult, cancellationToken) =>
        {
            string value = parseResult.GetRequiredValue(kid).Trim();
            if (!KeyRing.TryParseKeyId(value, out ulong keyId))
            {
                throw new CliException(
                    $"kid '{value}' is invalid: use the 16 hex digits of an edge key id, as 'keys list' shows it.",
                    CliException.UsageError);
            }

            return RunAsync(parseResult, common,
                online: async api => (await api.PostAsync<KeyListResponse>(
                    $"/api/keys/{Uri.EscapeDataString(value)}/revoke", content: null, cancellationToken)).Keys,
                offline: keys => keys.Revoke(keyId, AuditActors.Operator)
                    ? keys.List()
                    : throw new CliException(
                        $"No listed edge key has kid '{value}', or it is already revoked; 'keys list' shows the kids, and the root and event keys cannot be revoked.",
                        exitCode: 1),
                cancellationToken);
        });

        return new Command("keys", "Venue root key and edge signing keys.") { provision, list, rotate, revoke };
    }

    private static async Task<int> RunAsync(
        ParseResult parseResult,
        CommonOptions common,
        Func<HubApiClient, Task<IReadOnlyList<KeyInfo>>> online,
        Func<KeyRing, IReadOnlyList<KeyInfo>> offline,
        CancellationToken cancellationToken)
    {
        using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
        IReadOnlyList<KeyInfo> keys;
        if (target.Api is HubApiClient api)
        {
            keys = await online(api);
        }
        else
        {
            await using OfflineHub hub = OfflineHub.Open(target.DataDirectory, create: false);
            KeyRing ring = hub.Get<KeyRing>();
            ring.Load();
            keys = offline(ring);
        }

        Print(keys, parseResult.GetValue(common.Json), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return 0;
    }

    private static async Task<IReadOnlyList<KeyInfo>> ListOnlineAsync(HubApiClient api, CancellationToken cancellationToken) =>
        (await api.GetAsync<KeyListResponse>("/api/keys", cancellationToken)).Keys;

    private static string State(KeyInfo key, long nowMs)
    {
        if (key.Revoked)
        {
            return "revoked";
        }

        if (key.Signing)
        {
            return "signing";
        }

        return key.NotBeforeMs > nowMs ? "next" : "listed";
    }

    private static void Print(IReadOnlyList<KeyInfo> keys, bool json, long nowMs)
    {
        if (json)
        {
            CliOutput.Json(keys);
            return;
        }

        CliOutput.Table(
            ["kid", "usage", "not before", "not after", "state", "age"],
            keys.Select(key => (IReadOnlyList<string>)
            [
                key.Kid,
                key.Usage,
                key.Usage == "root" ? "-" : CliOutput.Time(key.NotBeforeMs),
                key.NotAfterMs == long.MaxValue ? "open" : CliOutput.Time(key.NotAfterMs),
                State(key, nowMs),
                key.Usage == "root" || key.NotBeforeMs > nowMs
                    ? "-"
                    : CliOutput.Age(key.NotBeforeMs, nowMs).Replace(" ago", "", StringComparison.Ordinal),
            ]));
    }
}
