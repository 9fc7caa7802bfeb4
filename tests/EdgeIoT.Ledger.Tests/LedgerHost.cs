using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeIoT.Ledger.Api;
using EdgeIoT.Ledger.Disputes;
using EdgeIoT.Ledger.Storage;
using EdgeIoT.Protocol.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Ledger.Tests;

/// <summary>The ledger started in-process on 127.0.0.1 with an OS-chosen port, and a real HttpClient to it.</summary>
public sealed class LedgerHost : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly ErrorLogCollector _errors;

    private LedgerHost(WebApplication app, ErrorLogCollector errors, Uri baseAddress)
    {
        _app = app;
        _errors = errors;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = RequestTimeout };
    }

    public HttpClient Client { get; }

    public static async Task<LedgerHost> StartAsync(ILedgerTarget target, Action<LedgerOptions>? configure = null)
    {
        var errors = new ErrorLogCollector();
        var app = LedgerApp.Build(
            ["--Logging:LogLevel:Default=Warning"],
            options =>
            {
                target.Configure(options);
                options.Urls = "http://127.0.0.1:0";
                configure?.Invoke(options);
            },
            builder => builder.Logging.AddProvider(errors));
        await app.StartAsync().WaitAsync(RequestTimeout);

        return new LedgerHost(app, errors, new Uri(app.Urls.First()));
    }

    public Task<(HttpStatusCode Status, BatchResponse? Body)> PostBatchAsync(string hubId, IEnumerable<EdgeEvent> events) =>
        PostBatchRawAsync(BatchJson(hubId, events));

    public async Task<(HttpStatusCode Status, BatchResponse? Body)> PostBatchRawAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Client.PostAsync(new Uri(LedgerEndpoints.BatchesRoute, UriKind.Relative), content);
        string text = await response.Content.ReadAsStringAsync();

        BatchResponse? parsed = response.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity
            ? JsonSerializer.Deserialize(text, LedgerJson.Default.BatchResponse)
            : null;
        return (response.StatusCode, parsed);
    }

    public async Task<List<string>> GetEventIdsAsync(string hubId)
    {
        using var stream = await Client.GetStreamAsync(new Uri($"{LedgerEndpoints.EventIdsRoute}?hubId={hubId}", UriKind.Relative));
        return await JsonSerializer.DeserializeAsync<List<string>>(stream) ?? [];
    }

    public async Task<LedgerSummary> GetSummaryAsync(string hubId)
    {
        string text = await Client.GetStringAsync(new Uri($"{LedgerEndpoints.SummaryRoute}?hubId={hubId}", UriKind.Relative));
        return JsonSerializer.Deserialize(text, LedgerJson.Default.LedgerSummary)!;
    }

    public async Task<List<Dispute>> GetDisputesAsync(string hubId)
    {
        string text = await Client.GetStringAsync(new Uri($"{LedgerEndpoints.DisputesRoute}?hubId={hubId}", UriKind.Relative));
        return JsonSerializer.Deserialize(text, LedgerJson.Default.ListDispute)!;
    }

    public static byte[] BatchJson(string hubId, IEnumerable<EdgeEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("hubId", hubId);
            writer.WritePropertyName("events");
            writer.WriteRawValue(ProtocolJson.Serialize(events.ToList()));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();

        // Any error the ledger logged fails the test, even when every response looked right.
        Assert.Empty(_errors.Errors);
    }
}
