namespace EdgeIoT.Hub.Forecast;

/// <summary>
/// Remembers when the hub's snapshot and key list versions changed, so a device is called behind
/// only for a version that has been out for longer than <see cref="Grace"/>. During a rush every
/// walk-in raises the snapshot version, and a device reports its own only every telemetry interval.
/// </summary>
public sealed class SettledVersions
{
    /// <summary>Three of the agent's default 5-second telemetry intervals.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly List<(uint Snapshot, uint KeyList, long SinceMs)> _changes = [];

    /// <summary>
    /// Records the hub's current versions and returns the newest ones that were current at
    /// least <see cref="Grace"/> ago. Versions seen at the first call count as settled.
    /// </summary>
    public (uint Snapshot, uint KeyList) Observe(uint snapshot, uint keyList, DateTimeOffset now)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        long settledBeforeMs = nowMs - (long)Grace.TotalMilliseconds;
        lock (_gate)
        {
            if (_changes.Count == 0)
            {
                _changes.Add((snapshot, keyList, long.MinValue));
            }
            else if (_changes[^1].Snapshot != snapshot || _changes[^1].KeyList != keyList)
            {
                _changes.Add((snapshot, keyList, nowMs));
            }

            // The first entry is always settled: it was settled when the older ones were dropped.
            int settled = _changes.FindLastIndex(change => change.SinceMs <= settledBeforeMs);
            if (settled > 0)
            {
                _changes.RemoveRange(0, settled);
            }

            return (_changes[0].Snapshot, _changes[0].KeyList);
        }
    }
}
