namespace EdgeIoT.Hub.Checks;

/// <summary>Online checks since start, and the p50 and p99 of the recent ones in microseconds (0 before the first).</summary>
public sealed record CheckLatency(long Count, long P50Micros, long P99Micros);
