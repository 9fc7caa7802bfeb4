using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Audit;

/// <summary>Compact JSON payloads of audit entries: camelCase names, null fields left out.</summary>
public static class AuditPayloads
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Returns the audit draft of a device's decision or payment event, or null for other kinds.</summary>
    public static AuditDraft? FromEvent(EdgeEvent edgeEvent)
    {
        ArgumentNullException.ThrowIfNull(edgeEvent);

        object? payload = edgeEvent.Kind switch
        {
            EventKinds.Decision => new
            {
                edgeEvent.EventId,
                edgeEvent.Outcome,
                edgeEvent.Reason,
                edgeEvent.Mode,
                edgeEvent.EntitlementId,
                edgeEvent.TokenId,
                edgeEvent.PolicyVersion,
                edgeEvent.PolicyRule,
                edgeEvent.DeviceTimeMs,
            },
            EventKinds.Payment => new
            {
                edgeEvent.EventId,
                edgeEvent.EntitlementId,
                edgeEvent.AmountMinor,
                edgeEvent.Currency,
                edgeEvent.OfferId,
                edgeEvent.DeviceTimeMs,
            },
            _ => null,
        };
        if (payload is null)
        {
            return null;
        }

        string kind = edgeEvent.Kind == EventKinds.Payment ? AuditKinds.Payment : AuditKinds.Decision;
        return new AuditDraft(edgeEvent.HubReceivedMs ?? 0, kind, edgeEvent.DeviceId, JsonSerializer.Serialize(payload, Json));
    }
}
