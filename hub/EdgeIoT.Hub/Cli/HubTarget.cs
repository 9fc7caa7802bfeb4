using System.CommandLine;

namespace EdgeIoT.Hub.Cli;

/// <summary>
/// Where a runbook command works: the HTTP API of a running hub, or the data directory of a
/// stopped one. --hub names the API; otherwise the hub.endpoints.json in --data is tried, and
/// the files are used when no hub responds there.
/// </summary>
public sealed class HubTarget : IDisposable
{
    public const string DefaultDataDirectory = "event-data/hub";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    // A hub that holds its lock is running, so a slow response means a busy machine, not a stopped hub.
    private static readonly TimeSpan BusyHubTimeout = TimeSpan.FromSeconds(25);

    private HubTarget(string dataDirectory, HubApiClient? api)
    {
        DataDirectory = dataDirectory;
        Api = api;
    }

    public string DataDirectory { get; }

    /// <summary>Client of the running hub, or null when the hub is stopped.</summary>
    public HubApiClient? Api { get; }

    public static async Task<HubTarget> ResolveAsync(
        ParseResult parseResult, CommonOptions common, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(common);

        string dataDirectory = Path.GetFullPath(parseResult.GetValue(common.Data)?.FullName ?? DefaultDataDirectory);
        if (parseResult.GetValue(common.Hub) is string hubUrl)
        {
            return new HubTarget(dataDirectory, await ConnectAsync(ParseUrl(hubUrl), ReadToken(dataDirectory), cancellationToken));
        }

        Uri? advertised = ReadAdvertisedUrl(dataDirectory);
        if (advertised is not null)
        {
            var api = new HubApiClient(advertised, ReadToken(dataDirectory));
            if (await api.IsUpAsync(ProbeTimeout, cancellationToken) || (IsLocked(dataDirectory)
                && await api.IsUpAsync(BusyHubTimeout, cancellationToken)))
            {
                return new HubTarget(dataDirectory, api);
            }

            api.Dispose();
        }

        return new HubTarget(dataDirectory, api: null);
    }

    /// <summary>Returns the running hub's client, or throws naming <paramref name="command"/> when the hub is stopped.</summary>
    public HubApiClient RequireRunning(string command) => Api ?? throw new CliException(
        $"'{command}' needs the running hub, and none responds for {DataDirectory}. "
        + $"Start it with 'run --data {DataDirectory}', or pass --hub URL.");

    /// <summary>Throws when a hub runs on the data directory, for commands that must work on a stopped hub.</summary>
    public void RequireStopped(string command)
    {
        if (Api is not null)
        {
            throw new CliException(
                $"'{command}' works on a stopped hub, but the hub at {Api.BaseUrl} is running on {DataDirectory}. Stop it first.");
        }
    }

    public void Dispose() => Api?.Dispose();

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"--hub '{text}' is not an absolute http:// or https:// URL, such as http://127.0.0.1:5080.");
        }

        return url;
    }

    // The environment variable serves a hub on another machine, whose data directory is not here.
    private static string? ReadToken(string dataDirectory)
    {
        if (Environment.GetEnvironmentVariable(Security.OperatorToken.EnvironmentVariable) is { Length: > 0 } token)
        {
            return token;
        }

        string path = Security.OperatorToken.PathIn(dataDirectory);
        try
        {
            using FileStream probe = File.OpenRead(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException(
                $"User '{Environment.UserName}' may not read the operator token '{path}'. Run the command as the user that runs "
                + $"the hub, or set {Security.OperatorToken.EnvironmentVariable} to the token.");
        }
        catch (IOException)
        {
            // A missing file is reported by the command that needs the token.
        }

        return Security.OperatorToken.TryRead(dataDirectory);
    }

    private static async Task<HubApiClient> ConnectAsync(Uri url, string? operatorToken, CancellationToken cancellationToken)
    {
        var api = new HubApiClient(url, operatorToken);
        if (!await api.IsUpAsync(ProbeTimeout, cancellationToken))
        {
            api.Dispose();
            throw new CliException(
                $"No hub responded to GET {url}health within {ProbeTimeout.TotalSeconds} s. Check the URL, or pass --data to work on a stopped hub's files.");
        }

        return api;
    }

    private static bool IsLocked(string dataDirectory)
    {
        using DataDirectoryLock? probe = DataDirectoryLock.TryAcquire(dataDirectory);
        return probe is null;
    }

    private static Uri? ReadAdvertisedUrl(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, HubEndpoints.FileName)))
        {
            return null;
        }

        try
        {
            return Uri.TryCreate(HubEndpoints.Read(dataDirectory).HttpUrl, UriKind.Absolute, out Uri? url) ? url : null;
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or IOException)
        {
            // A half-written or foreign file means no running hub can be found through it.
            return null;
        }
    }
}
