namespace EdgeIoT.EdgeAgent.Storage;

/// <summary>
/// Spend to record against a token in the same transaction as its payment event, and the sale
/// request it answers when the till sent an id, so a repeated request never sells twice.
/// </summary>
public readonly record struct SpendCharge(ulong TokenId, long AmountMinor, string? RequestId = null);
