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
            throw new CliException(
                $"No hub database at {database}: run 'init --data {dataDirectory}' first, or pass the --data directory of an existing hub.");
        }

        DataDirectoryLock dataLock = DataDirectoryLock.TryAcquire(dataDirectory) ?? throw new CliException(
            $"The hub on {dataDirectory} holds its hub.lock but its HTTP API did not respond. Wait until it has started "
            + "and retry, or pass --hub URL.");
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
}
