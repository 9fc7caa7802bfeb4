namespace EdgeIoT.Hub.Ledger;

/// <summary>State of the push to the ledger, as GET /api/status shows it.</summary>
public sealed class LedgerSyncStatus
{
    private readonly Lock _gate = new();
    private bool _reachable;
    private long? _lastSuccessMs;
    private long? _lastAnswerMs;
    private long? _firstFailureMs;
    private long _sent;
    private string? _lastError;

    public LedgerSyncSnapshot Read()
    {
        lock (_gate)
        {
            return new LedgerSyncSnapshot(_reachable, _lastSuccessMs, _sent, _lastError);
        }
    }

    /// <summary>
    /// Reads whether the ledger is in an outage: the latest push attempt got no HTTP response.
    /// <paramref name="sinceMs"/> is then the last time the ledger responded, or the first failed
    /// attempt when it never responded since the hub started. Before the first attempt there is
    /// no outage, because no failure has shown the ledger to be away.
    /// </summary>
    public bool TryReadOutage(out long sinceMs)
    {
        lock (_gate)
        {
            bool inOutage = _firstFailureMs is not null && !_reachable;
            sinceMs = inOutage ? _lastAnswerMs ?? _firstFailureMs!.Value : 0;
            return inOutage;
        }
    }

    internal void RecordSuccess(long timeMs, int sent)
    {
        lock (_gate)
        {
            _reachable = true;
            _lastSuccessMs = timeMs;
            _lastAnswerMs = timeMs;
            _sent += sent;
            _lastError = null;
        }
    }

    /// <summary>Records a failed push; <paramref name="reachable"/> is true when the ledger responded with an error status.</summary>
    internal void RecordFailure(string error, bool reachable, long timeMs)
    {
        lock (_gate)
        {
            _reachable = reachable;
            _lastError = error;
            _firstFailureMs ??= timeMs;
            if (reachable)
            {
                _lastAnswerMs = timeMs;
            }
        }
    }
}
