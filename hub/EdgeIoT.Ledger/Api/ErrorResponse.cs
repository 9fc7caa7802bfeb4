namespace EdgeIoT.Ledger.Api;

/// <summary>Body of a 400 or 413 answer.</summary>
public sealed record ErrorResponse(string Error);
