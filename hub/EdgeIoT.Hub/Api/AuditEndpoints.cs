using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Security;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Api;

/// <summary>GET /api/audit/verify checks the audit chain; GET /api/audit lists entries.</summary>
public static class AuditEndpoints
{
    private const int MaxListLimit = 1000;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/audit/verify", Verify).RequireOperator();
        routes.MapGet("/api/audit", List).RequireOperator();
    }

    private static AuditVerification Verify(HubDatabase database)
    {
        using SqliteConnection connection = database.Open();
        return AuditVerifier.Verify(connection);
    }

    private static IResult List(HubDatabase database, long after = 0, int limit = 100)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            return Problems.BadRequest($"limit {limit} is invalid: use 1 to {MaxListLimit}.");
        }

        using SqliteConnection connection = database.Open();
        return Results.Ok(AuditReader.Read(connection, after, limit));
    }
}
