using System.Net;
using EdgeIoT.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>The venue hub, hosted in this process with its broker and API on OS-chosen loopback ports.</summary>
public sealed class HubNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HubNode(WebApplication app, HubEndpoints endpoints, string dataDirectory)
    {
        _app = app;
        Endpoints = endpoints;
        DataDirectory = dataDirectory;
        MqttEndpoint = new IPEndPoint(IPAddress.Loopback, endpoints.MqttPort);
        Client = new HubClient(new HttpClient { BaseAddress = new Uri(endpoints.HttpUrl), Timeout = TimeSpan.FromSeconds(30) });
    }

    public HubEndpoints Endpoints { get; }

    public string DataDirectory { get; }

    public IPEndPoint MqttEndpoint { get; }

    public HubClient Client { get; }

    public uint EventId => Endpoints.EventId;

    public string Venue => Endpoints.Venue;

    public byte[] RootPublicKey => Convert.FromBase64String(Endpoints.RootPublicKey);

    /// <summary>File where the hub's stand-in SMS gateway writes one-time codes.</summary>
    public string SmsOutboxFile => Path.Combine(DataDirectory, "sms-outbox.jsonl");

    public static async Task<HubNode> StartAsync(
        string dataDirectory,
        string venue,
        Uri ledgerUrl,
        string policyFile,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        WebApplication app = HubApp.Build(
            HostArguments.InProcess(),
            options =>
            {
                options.Venue = venue;
                options.DataDirectory = dataDirectory;
                options.PolicyFile = policyFile;
                options.EventEnd = DateTimeOffset.UtcNow.AddHours(6);
                options.Mqtt.Port = 0;
                options.Http.Urls = "http://127.0.0.1:0";
                options.Ledger.BaseUrl = ledgerUrl.ToString();
                options.Ledger.HubId = venue;
            },
            configureServices: services => HostArguments.UseLoggers(services, loggers));
        await app.StartAsync(cancellationToken);
        return new HubNode(app, HubEndpoints.Read(dataDirectory), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
