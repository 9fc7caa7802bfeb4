using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub;

/// <summary>Migrates the database, loads the key ring and builds the snapshot before the broker starts.</summary>
public sealed class HubInitializer(
    HubOptions options, HubDatabase database, KeyRing keys, SnapshotCache snapshot, ILogger<HubInitializer> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        database.Migrate();
        keys.Load();
        snapshot.Rebuild();
        logger.LogInformation(
            "Hub for venue {Venue} event {EventId} opened {DatabasePath}; snapshot version {SnapshotVersion}",
            options.Venue, options.EventId, options.DatabasePath, snapshot.Version);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
