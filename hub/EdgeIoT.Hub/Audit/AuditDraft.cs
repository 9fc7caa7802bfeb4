namespace EdgeIoT.Hub.Audit;

/// <summary>An audit entry before it is chained: what happened, who did it, and a compact JSON payload.</summary>
public sealed record AuditDraft(long TimeMs, string Kind, string Actor, string Payload);
