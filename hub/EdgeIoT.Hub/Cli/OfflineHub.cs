using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Cli;

/// <summary>
/// The hub's services over its data directory without broker or HTTP server, for runbook
/// commands while the hub is stopped. It holds the data directory's lock, so a hub cannot start
/// on the files meanwhile. Disposing commits queued audit entries.
/// </summary>
public sealed class OfflineHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DataDirectoryLock _lock;

    private OfflineHub(WebApplication app, DataDirectoryLock dataLock)
    {
        _app = app;
        _lock = dataLock;
    }

    public IServiceProvider Services => _app.Services;

    public HubOptions Options => _app.Services.GetRequiredService<HubOptions>();

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// Opens the data directory and migrates its database. Unless <paramref name="create"/> is
    /// set, a directory without hub.db is an error that names the init command.
    /// </summary>
    public static OfflineHub Open(string dataDirectory, bool create, IReadOnlyList<string>? settings = null)
    {
        string database = Path.Combine(dataDirectory, "hub.db");
        if (!create && !File.Exists(database))
        {
            RequireReadable(dataDirectory);
            throw new CliException(
                $"No hub database at {database}: run 'init --data {dataDirectory}' first, or pass the --data directory of an existing hub.");
        }

        DataDirectoryLock dataLock = DataDirectoryLock.TryAcquire(dataDirectory) ?? throw new CliException(
            DataDirectoryLock.InUse(dataDirectory).Message + " A hub that is still starting answers on its HTTP API "
            + "within seconds: retry then, or pass --hub URL.");
        string[] args = ["--Logging:LogLevel:Default=Warning", .. settings ?? []];
        WebApplication app = HubApp.Build(args, options => options.DataDirectory = dataDirectory);
        app.Services.GetRequiredService<HubDatabase>().Migrate();
        return new OfflineHub(app, dataLock);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _lock.Dispose();
    }

    // File.Exists returns false in a folder this user may not list, which would otherwise read as "no hub here".
    private static void RequireReadable(string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return;
        }

        try
        {
            _ = Directory.EnumerateFileSystemEntries(dataDirectory).Any();
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new HubSettingsException(
                $"Hub:DataDirectory '{Path.GetFullPath(dataDirectory)}' is unusable: user '{Environment.UserName}' may not read it. "
                + "Run the command as the user that runs the hub (the owner of the folder), or pass --hub URL with "
                + "EDGEIOT_OPERATOR_TOKEN for a running hub.",
                exception);
        }
    }
}
