namespace EdgeIoT.EdgeAgent.Storage;

/// <summary>Spend to record against a token in the same transaction as its payment event.</summary>
public readonly record struct SpendCharge(ulong TokenId, long AmountMinor);
