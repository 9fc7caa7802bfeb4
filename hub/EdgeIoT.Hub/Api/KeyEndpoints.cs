using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Security;

namespace EdgeIoT.Hub.Api;

/// <summary>
/// GET /api/keys: the root-signed key list, as devices receive it over MQTT, for tools such
/// as the token inspector, and each key's state for the operator. POST /api/keys/rotate starts
/// a new edge signing key now, and POST /api/keys/{kid}/revoke revokes an edge signing key at once.
/// </summary>
public static class KeyEndpoints
{
    public static void MapKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/keys", GetKeys);
        routes.MapPost("/api/keys/rotate", (KeyRing keys) => keys.RotateNow(AuditActors.Operator)).RequireOperator();
        routes.MapPost("/api/keys/{kid}/revoke", Revoke).RequireOperator();
    }

    private static KeyListResponse GetKeys(KeyRing keys, HubOptions options)
    {
        KeyList list = keys.KeyList;
        return new KeyListResponse(
            options.Venue,
            options.EventId,
            list.Version,
            Convert.ToBase64String(keys.RootPublicKey),
            Convert.ToBase64String(keys.SignedKeyList),
            keys.List());
    }

    private static IResult Revoke(string kid, KeyRing keys, HubOptions options)
    {
        if (!KeyRing.TryParseKeyId(kid, out ulong keyId))
        {
            return Problems.BadRequest($"kid '{kid}' is invalid: use the 16 hex digits of an edge key id.");
        }

        if (!keys.Revoke(keyId, AuditActors.Operator))
        {
            return Problems.NotFound(
                $"No listed edge key has kid '{kid}', or it is already revoked; 'keys list' and GET /api/keys show the kids, and the root and event keys cannot be revoked.");
        }

        return Results.Ok(GetKeys(keys, options));
    }
}
