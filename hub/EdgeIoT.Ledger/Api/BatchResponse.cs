namespace EdgeIoT.Ledger.Api;

/// <summary>Body of the response to POST /v1/batches.</summary>
public sealed record BatchResponse
{
    /// <summary>Events stored by this request.</summary>
    public int Accepted { get; init; }

    /// <summary>Events that were already stored for the hub (a retry) or repeated within the batch.</summary>
    public int Duplicates { get; init; }

    public List<RejectedEvent> Rejected { get; init; } = [];
}
