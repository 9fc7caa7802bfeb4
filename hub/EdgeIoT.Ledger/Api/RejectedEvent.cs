namespace EdgeIoT.Ledger.Api;

/// <summary>An invalid event of a batch: its position, its id when readable, the field and the problem.</summary>
public sealed record RejectedEvent(int Index, string? EventId, string Field, string Message);
