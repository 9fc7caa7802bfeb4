namespace EdgeIoT.EdgeAgent.Purchases;

/// <summary>Walk-in sales at a lane: charge a walk-in or creator-assistant token and print a receipt.</summary>
public interface IPurchaseTerminal
{
    /// <summary>
    /// Verifies the token, checks its spend allowance (and the offline caps when the hub is
    /// away), stores a payment event in the outbox and prints a receipt. A printer fault does
    /// not undo the sale; the result reports it.
    /// </summary>
    /// <param name="tokenText">Token in QR text form, as scanned.</param>
    /// <param name="amountMinor">Price in minor units of the agent's currency; must be positive.</param>
    Task<PurchaseResult> PurchaseAsync(
        string tokenText, long amountMinor, string description, CancellationToken cancellationToken);

    /// <summary>
    /// Sells like the overload without <paramref name="requestId"/>, once per request id: when a
    /// sale for it is already stored, returns that sale (same receipt id) and stores nothing.
    /// </summary>
    /// <param name="requestId">Id the till gives the request; 1 to 128 characters.</param>
    Task<PurchaseResult> PurchaseAsync(
        string tokenText, long amountMinor, string description, string requestId, CancellationToken cancellationToken);
}
