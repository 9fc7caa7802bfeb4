namespace EdgeIoT.Hub.Audit;

/// <summary>An audit entry as GET /api/audit lists it: payload as stored (compact JSON), hash in hex.</summary>
public sealed record AuditItem(long Seq, long TimeMs, string Kind, string Actor, string Payload, string Hash);
