using EdgeIoT.Hub.Clock;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// Clock epoch of the time beacons. It rises each time the hub clock reads earlier than the last
/// beacon, so devices accept a deliberate step back while a replayed older beacon (same epoch,
/// older time) stays rejected. It also rises when <see cref="VenueClock"/> adopts a wall clock
/// step in either direction, to mark that venue time jumped. The epoch is kept in the database
/// because a device remembers the highest epoch it saw across hub restarts.
/// </summary>
public sealed class BeaconEpoch(HubDatabase database, TimeProvider time, ILogger<BeaconEpoch> logger)
{
    private const string MetaName = "beacon_epoch";

    private readonly Lock _gate = new();
    private uint? _epoch;
    private long _lastHubTimeMs;
    private long _adoptedSteps;

    /// <summary>
    /// Returns the epoch for a beacon at <paramref name="hubTimeMs"/>, raising it when the clock
    /// went back or venue time adopted a step since the last beacon.
    /// </summary>
    public uint EpochAt(long hubTimeMs)
    {
        lock (_gate)
        {
            _epoch ??= Load();
            long adoptedSteps = (time as VenueClock)?.Read().AdoptedSteps ?? 0;
            if (hubTimeMs < _lastHubTimeMs || adoptedSteps != _adoptedSteps)
            {
                _epoch = Raise();
                BrokerLog.BeaconEpochRaised(logger, hubTimeMs - _lastHubTimeMs, _epoch.Value);
            }

            _adoptedSteps = adoptedSteps;
            _lastHubTimeMs = hubTimeMs;
            return _epoch.Value;
        }
    }

    private uint Load()
    {
        using SqliteConnection connection = database.Open();
        return EntitlementStore.ReadMeta(connection, MetaName, transaction: null);
    }

    private uint Raise()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO meta (name, value) VALUES ($name, 1)
            ON CONFLICT (name) DO UPDATE SET value = value + 1
            RETURNING value;
            """;
        command.Parameters.AddWithValue("$name", MetaName);
        return (uint)(long)(command.ExecuteScalar() ?? 1L);
    }
}
