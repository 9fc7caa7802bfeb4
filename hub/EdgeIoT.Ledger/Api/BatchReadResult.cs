using EdgeIoT.Ledger.Storage;

namespace EdgeIoT.Ledger.Api;

/// <summary>A parsed batch, or the status and message of a request that cannot be used at all.</summary>
internal sealed record BatchReadResult(
    string HubId,
    List<LedgerEventRow> Rows,
    List<RejectedEvent> Rejected,
    int ErrorStatus,
    string? Error)
{
    public static BatchReadResult Fail(int status, string error) => new(string.Empty, [], [], status, error);
}
