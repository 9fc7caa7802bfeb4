using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// A tiny ledger on 127.0.0.1 with an OS-chosen port. It responds to POST /v1/batches with 200 or, while
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

    /// <summary>Event ids the ledger lists as invalid in a 200 response, as it does for a bad field.</summary>
    public HashSet<string> Invalid { get; } = [];

    /// <summary>Event ids that make the ledger respond 400 to the whole batch.</summary>
    public HashSet<string> Poison { get; } = [];

    /// <summary>Largest batch the ledger takes; a larger one gets 413, as the real ledger's MaxBatchEvents does.</summary>
    public int MaxEvents { get; set; } = int.MaxValue;

    /// <summary>Batches with more events than this take <see cref="SlowDelay"/> to respond, like an overloaded ledger.</summary>
    public int SlowAbove { get; set; } = int.MaxValue;

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sizes of the batches that reached the ledger, in arrival order.</summary>
    public ConcurrentQueue<int> BatchSizes { get; } = new();

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

        JsonElement[] events = body.RootElement.GetProperty("events").EnumerateArray().ToArray();
        BatchSizes.Enqueue(events.Length);
        if (events.Length > MaxEvents)
        {
            Requests.Writer.TryWrite("too large");
            return Results.Json(new { error = $"batch has {events.Length} events, the maximum is {MaxEvents}" }, statusCode: 413);
        }

        if (events.Length > SlowAbove)
        {
            // Like the real ledger, nothing is stored when the hub gives up on the request.
            await Task.Delay(SlowDelay, request.HttpContext.RequestAborted);
        }

        if (events.Any(edgeEvent => Poison.Contains(edgeEvent.GetProperty("eventId").GetString()!)))
        {
            Requests.Writer.TryWrite("poisoned");
            return Results.BadRequest(new { error = "poisoned batch" });
        }

        int accepted = 0;
        int duplicates = 0;
        var rejected = new List<object>();
        for (int index = 0; index < events.Length; index++)
        {
            string eventId = events[index].GetProperty("eventId").GetString()!;
            if (Invalid.Contains(eventId))
            {
                rejected.Add(new { index, eventId, field = "detail", message = "detail is too long" });
            }
            else if (_seen.TryAdd(eventId, 0))
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
        return Results.Ok(new { accepted, duplicates, rejected });
    }
}
