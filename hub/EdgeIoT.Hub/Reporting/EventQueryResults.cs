namespace EdgeIoT.Hub.Reporting;

/// <summary>Decision counts: every decision, admits, denies, and those an offline policy made.</summary>
public sealed record DecisionTotals(long Decisions, long Admitted, long Denied, long Offline);

/// <summary>A count or an amount under a name, such as a reason code or a currency.</summary>
public sealed record NamedCount(string Name, long Count);

/// <summary>One decision event; <see cref="LatencyMs"/> is null when the device sent no latency.</summary>
public sealed record DecisionRow(
    string DeviceId, string DeviceClass, long DeviceTimeMs, string Outcome, string Mode, double? LatencyMs, long? EntitlementId);

/// <summary>A single-entry entitlement admitted <see cref="Admits"/> times, by the listed devices.</summary>
public sealed record DoubleAdmit(long EntitlementId, IReadOnlyList<string> DeviceIds, long FirstAdmitMs, int Admits);

/// <summary>All double admits found and the first of them.</summary>
public sealed record DisputeSummary(int Count, IReadOnlyList<DoubleAdmit> Items);

/// <summary>Sales attributed to one creator in one currency, amounts in minor units.</summary>
public sealed record CreatorPayout(
    long CreatorEntitlementId,
    string? OrderCode,
    string? Name,
    string Currency,
    int Sales,
    long TotalMinor,
    int AssistantSales);

/// <summary>The detail of a stored status event, such as "paper out", and when the hub stored it.</summary>
public sealed record StatusRow(string DeviceId, string Detail, long HubReceivedMs);

/// <summary>The scan-to-decision latency of a stored decision and when the hub stored it.</summary>
public sealed record StoredLatency(string DeviceId, long HubReceivedMs, double LatencyMs);
