using System.Globalization;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;

namespace EdgeIoT.Hub.Api;

/// <summary>
/// GET /api/keys: the root-signed key list, as devices receive it over MQTT, for tools such
/// as the token inspector. POST /api/keys/{kid}/revoke: revokes an edge signing key at once.
/// </summary>
public static class KeyEndpoints
{
    public static void MapKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/keys", GetKeys);

        // NOTE: like the other administrative routes of the hub, this one has no authentication yet.
        routes.MapPost("/api/keys/{kid}/revoke", Revoke);
    }

    private static KeyListResponse GetKeys(KeyRing keys, HubOptions options)
    {
        KeyList list = keys.KeyList;
        return new KeyListResponse(
            options.Venue,
            options.EventId,
            list.Version,
            Convert.ToBase64String(keys.RootPublicKey),
            Convert.ToBase64String(keys.SignedKeyList));
    }

    private static IResult Revoke(string kid, KeyRing keys, HubOptions options)
    {
        if (kid.Length != 16
            || !ulong.TryParse(kid, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong keyId))
        {
            return Problems.BadRequest($"kid '{kid}' is invalid: use the 16 hex digits of an edge key id.");
        }

        if (!keys.Revoke(keyId))
        {
            return Problems.NotFound($"No unrevoked edge signing key has kid {kid}; GET /api/keys lists them.");
        }

        return Results.Ok(GetKeys(keys, options));
    }
}
