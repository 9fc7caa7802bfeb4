namespace EdgeIoT.Hub.Ledger;

/// <summary>State of the push to the ledger, as GET /api/status shows it.</summary>
public sealed class LedgerSyncStatus
{
    private readonly Lock _gate = new();
    private bool _reachable;
    private long? _lastSuccessMs;
    private long _sent;
    private string? _lastError;

    public LedgerSyncSnapshot Read()
    {
        lock (_gate)
        {
            return new LedgerSyncSnapshot(_reachable, _lastSuccessMs, _sent, _lastError);
        }
    }

    internal void RecordSuccess(long timeMs, int sent)
    {
        lock (_gate)
        {
            _reachable = true;
            _lastSuccessMs = timeMs;
            _sent += sent;
            _lastError = null;
        }
    }

    internal void RecordFailure(string error, bool reachable)
    {
        lock (_gate)
        {
            _reachable = reachable;
            _lastError = error;
        }
    }
}
