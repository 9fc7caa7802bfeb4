using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Storage;

/// <summary>An event the hub gave up sending to the ledger, with the last error the ledger returned.</summary>
public sealed record DeadLetter(string EventId, Lane Lane, int Attempts, string? LastError, long DeadMs);
