using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Security;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Api;

/// <summary>GET /api/snapshot (full or delta bytes) and GET /api/snapshot/status.</summary>
public static class SnapshotEndpoints
{
    public const string KindHeader = "X-Snapshot-Kind";
    public const string VersionHeader = "X-Snapshot-Version";

    public static void MapSnapshotEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/snapshot", GetSnapshot);
        routes.MapGet("/api/snapshot/status", GetStatus).RequireOperator();
    }

    private static IResult GetSnapshot(HttpContext context, SnapshotCache snapshots, uint since = 0)
    {
        SnapshotPayload payload = snapshots.ForDevice(since);
        if (payload.Bytes.Length == 0)
        {
            return Problems.NotFound(
                "No snapshot is available: import a guest list with at least Hub:MinSnapshotSize entitlements first.");
        }

        context.Response.Headers[KindHeader] = payload.IsDelta ? "delta" : "full";
        context.Response.Headers[VersionHeader] = payload.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Bytes(payload.Bytes, "application/octet-stream");
    }

    private static SnapshotStatus GetStatus(SnapshotCache snapshots, DeviceStore devices, HubOptions options) =>
        SnapshotStatus.From(snapshots, devices.ReadDetails(), options.MinSnapshotSize);
}
