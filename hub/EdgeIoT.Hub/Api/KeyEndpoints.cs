using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;

namespace EdgeIoT.Hub.Api;

/// <summary>The operator's key routes: list, forced rotation and revocation of edge keys.</summary>
public static class KeyEndpoints
{
    public static void MapKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/keys", (KeyRing keys) => keys.List());
        routes.MapPost("/api/keys/rotate", (KeyRing keys) => keys.RotateNow(AuditActors.Operator));
        routes.MapPost("/api/keys/{kid}/revoke", Revoke);
    }

    private static IResult Revoke(string kid, KeyRing keys)
    {
        if (!keys.Revoke(kid, AuditActors.Operator))
        {
            return Problems.NotFound(
                $"No listed edge key has kid '{kid}'; 'keys list' shows the kids (16 hex digits), and the root key cannot be revoked.");
        }

        return Results.Ok(keys.List());
    }
}
