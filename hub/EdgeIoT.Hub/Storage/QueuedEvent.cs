namespace EdgeIoT.Hub.Storage;

/// <summary>One unsent row of the reconciliation queue.</summary>
public sealed record QueuedEvent(long RowId, string EventId, int Lane, string Json, int Attempts);
