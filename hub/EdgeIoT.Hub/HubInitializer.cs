using System.Text.Json;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Mqtt;
using EdgeIoT.Hub.Dashboard;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Reporting;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub;

/// <summary>
/// Migrates the database, loads the key ring, builds the snapshot, issues the operator account
/// and restores the dashboard's alarms and recent latencies before the broker starts.
/// </summary>
public sealed class HubInitializer(
    HubOptions options,
    HubDatabase database,
    DeviceStore devices,
    KeyRing keys,
    SnapshotCache snapshot,
    HubActivity activity,
    EventQueries queries,
    ILogger<HubInitializer> logger)
    : IHostedService, IDisposable
{
    private DataDirectoryLock? _lock;

    /// <summary>File in the data directory with the operator's MQTT user name and password, renewed on every start.</summary>
    public const string OperatorFileName = "operator.json";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _lock = DataDirectoryLock.TryAcquire(options.DataDirectory) ?? throw DataDirectoryLock.InUse(options.DataDirectory);
        database.Migrate();
        keys.Load();
        snapshot.Rebuild();
        WriteOperatorCredentials();
        (int alarms, int latencySamples) = activity.Restore(queries);
        logger.LogInformation(
            "Hub for venue {Venue} event {EventId} opened {DatabasePath}; snapshot version {SnapshotVersion}, "
            + "{Alarms} device alarms raised, {LatencySamples} recent latencies",
            options.Venue, options.EventId, options.DatabasePath, snapshot.Version, alarms, latencySamples);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    private void WriteOperatorCredentials()
    {
        string password = devices.Enroll(SessionIdentity.OperatorUserName, SessionIdentity.OperatorUserName, zone: 0);
        string path = Path.Combine(options.DataDirectory, OperatorFileName);
        var credentials = new Dictionary<string, string>
        {
            ["username"] = SessionIdentity.OperatorUserName,
            ["password"] = password,
        };

        // Readable by the hub's own user only, because the password lets anyone watch every topic.
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(path);
        using var stream = new FileStream(path, fileOptions);
        JsonSerializer.Serialize(stream, credentials);
    }
}
