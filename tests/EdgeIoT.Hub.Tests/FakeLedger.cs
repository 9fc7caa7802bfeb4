using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// A tiny ledger on 127.0.0.1 with an OS-chosen port. It answers POST /v1/batches with 200 or, while
/// <see cref="Available"/> is false, 503, and records every batch it accepted in arrival order.
/// </summary>
internal sealed class FakeLedger : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _acceptedEventIds = new();
    private readonly ConcurrentDictionary<string, byte> _seen = new();

    private FakeLedger(WebApplication app)
    {
        _app = app;
    }

    public volatile bool Available = true;

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>Event ids in the order the ledger accepted them.</summary>
    public IReadOnlyList<string> AcceptedEventIds => [.. _acceptedEventIds];

    /// <summary>Signals each request as "accepted" or "refused".</summary>
    public Channel<string> Requests { get; } = Channel.CreateUnbounded<string>();

    public List<string> HubIds { get; } = [];

    public static async Task<FakeLedger> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var ledger = new FakeLedger(app);
        app.MapPost("/v1/batches", ledger.HandleAsync);
        await app.StartAsync();
        ledger.BaseUrl = app.Urls.First();
        return ledger;
    }

    public async Task WaitForAcceptedCountAsync(int count)
    {
        while (_seen.Count < count)
        {
            await Requests.Reader.ReadAsync().AsTask().WaitAsync(HubHarness.Timeout);
        }
    }

    public async Task WaitForRefusalAsync()
    {
        while (await Requests.Reader.ReadAsync().AsTask().WaitAsync(HubHarness.Timeout) != "refused")
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (!Available)
        {
            Requests.Writer.TryWrite("refused");
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        using JsonDocument body = await JsonDocument.ParseAsync(request.Body);
        lock (HubIds)
        {
            HubIds.Add(body.RootElement.GetProperty("hubId").GetString()!);
        }

        int accepted = 0;
        int duplicates = 0;
        foreach (JsonElement edgeEvent in body.RootElement.GetProperty("events").EnumerateArray())
        {
            string eventId = edgeEvent.GetProperty("eventId").GetString()!;
            if (_seen.TryAdd(eventId, 0))
            {
                _acceptedEventIds.Enqueue(eventId);
                accepted++;
            }
            else
            {
                duplicates++;
            }
        }

        Requests.Writer.TryWrite("accepted");
        return Results.Ok(new { accepted, duplicates });
    }
}
