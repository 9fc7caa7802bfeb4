using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Metrics;

/// <summary>Lane names as /api/status spells them, for metric tags, the dashboard and reports.</summary>
public static class LaneNames
{
    public static string ToName(Lane lane) => lane switch
    {
        Lane.Payments => "payments",
        Lane.Entitlements => "entitlements",
        Lane.CheckIns => "checkIns",
        Lane.Telemetry => "telemetry",
        _ => lane.ToString(),
    };
}
