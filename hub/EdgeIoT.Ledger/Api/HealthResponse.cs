namespace EdgeIoT.Ledger.Api;

/// <summary>Body of GET /health: "ok" or "unavailable", and the store kind.</summary>
public sealed record HealthResponse(string Status, string Store);
