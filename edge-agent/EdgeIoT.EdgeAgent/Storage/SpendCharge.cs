namespace EdgeIoT.EdgeAgent.Storage;

/// <summary>
/// Spend to record against a token in the same transaction as its payment event, and the id of
/// the sale request when the till sent one, which the outbox stores so the request sells once.
/// </summary>
public readonly record struct SpendCharge(ulong TokenId, long AmountMinor, string? RequestId = null);
