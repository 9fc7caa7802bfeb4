using System.Net;
using EdgeIoT.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>The central ledger, hosted in this process on a loopback port the OS chose.</summary>
public sealed class LedgerNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LedgerNode(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        Endpoint = new IPEndPoint(IPAddress.Loopback, url.Port);
        Client = new LedgerClient(new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) });
    }

    public Uri Url { get; }

    public IPEndPoint Endpoint { get; }

    public LedgerClient Client { get; }

    public static async Task<LedgerNode> StartAsync(
        string dataDirectory, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        WebApplication app = LedgerApp.Build(
            HostArguments.InProcess(),
            options =>
            {
                options.Urls = "http://127.0.0.1:0";
                options.Sqlite.Path = Path.Combine(dataDirectory, "ledger.db");
                options.DataDirectory = dataDirectory;
            },
            configureBuilder: builder => HostArguments.UseLoggers(builder.Services, loggers));
        await app.StartAsync(cancellationToken);
        return new LedgerNode(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
