namespace EdgeIoT.Ledger.Api;

/// <summary>Body of a 400 or 413 response.</summary>
public sealed record ErrorResponse(string Error);
