using System.Text.Json;
using EdgeIoT.Ledger.Disputes;
using EdgeIoT.Ledger.Storage;
using Microsoft.Extensions.Options;

namespace EdgeIoT.Ledger.Api;

/// <summary>The ledger's HTTP routes.</summary>
public static class LedgerEndpoints
{
    public const string BatchesRoute = "/v1/batches";
    public const string SummaryRoute = "/v1/summary";
    public const string EventIdsRoute = "/v1/events/ids";
    public const string DisputesRoute = "/v1/disputes";
    public const string HealthRoute = "/health";

    private const int IdsPerFlush = 1000;

    /// <summary>Maps the batch, summary, event id, dispute and health routes.</summary>
    public static IEndpointRouteBuilder MapLedgerApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);

        routes.MapPost(BatchesRoute, PostBatchAsync);
        routes.MapGet(SummaryRoute, GetSummaryAsync);
        routes.MapGet(EventIdsRoute, WriteEventIdsAsync);
        routes.MapGet(DisputesRoute, GetDisputesAsync);
        routes.MapGet(HealthRoute, GetHealthAsync);
        return routes;
    }

    private static async Task<IResult> PostBatchAsync(
        HttpContext context,
        ILedgerStore store,
        IOptions<LedgerOptions> options,
        ILogger<LedgerApiCategory> logger)
    {
        var settings = options.Value;
        var body = await RequestBodyReader.ReadAsync(context, settings.MaxBatchBytes, context.RequestAborted);
        if (body.Error is not null)
        {
            return Error(logger, body.ErrorStatus, body.Error);
        }

        var batch = BatchRequestReader.Read(body.Content, settings.MaxBatchEvents);
        if (batch.Error is not null)
        {
            return Error(logger, batch.ErrorStatus, batch.Error);
        }

        var stored = batch.Rows.Count == 0
            ? default
            : await store.InsertBatchAsync(
                batch.HubId,
                batch.Rows,
                settings.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                context.RequestAborted);
        LogBatch(logger, batch, stored);

        var response = new BatchResponse
        {
            Accepted = stored.Accepted,
            Duplicates = stored.Duplicates,
            Rejected = batch.Rejected,
        };

        // 422 only when nothing in the batch was usable, so a hub never drops good events on a 4xx.
        bool allInvalid = batch.Rows.Count == 0 && batch.Rejected.Count > 0;
        int status = allInvalid ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK;
        return Results.Json(response, LedgerJson.Default.BatchResponse, statusCode: status);
    }

    private static async Task<IResult> GetSummaryAsync(
        string? hubId,
        ILedgerStore store,
        CancellationToken cancellationToken)
    {
        var summary = await store.GetSummaryAsync(hubId, cancellationToken);
        var disputes = await DetectDisputesAsync(store, hubId, cancellationToken);

        return Results.Json(summary with { Disputes = disputes.Count }, LedgerJson.Default.LedgerSummary);
    }

    private static async Task WriteEventIdsAsync(
        HttpContext context,
        string? hubId,
        ILedgerStore store,
        CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);

        writer.WriteStartArray();
        int written = 0;
        await foreach (string eventId in store.ReadEventIdsAsync(hubId, cancellationToken))
        {
            writer.WriteStringValue(eventId);
            if (++written % IdsPerFlush == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
    }

    private static async Task<IResult> GetDisputesAsync(
        string? hubId,
        ILedgerStore store,
        CancellationToken cancellationToken)
    {
        var disputes = await DetectDisputesAsync(store, hubId, cancellationToken);

        return Results.Json(disputes, LedgerJson.Default.ListDispute);
    }

    private static async Task<IResult> GetHealthAsync(
        ILedgerStore store,
        ILogger<LedgerApiCategory> logger,
        CancellationToken cancellationToken)
    {
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            return Results.Json(new HealthResponse("ok", store.Name), LedgerJson.Default.HealthResponse);
        }
        catch (System.Data.Common.DbException ex)
        {
            logger.LogError(ex, "Health check failed because the {Store} store is unavailable", store.Name);
            return Results.Json(
                new HealthResponse("unavailable", store.Name),
                LedgerJson.Default.HealthResponse,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<List<Dispute>> DetectDisputesAsync(
        ILedgerStore store,
        string? hubId,
        CancellationToken cancellationToken)
    {
        var candidates = new List<DisputeCandidate>();
        await foreach (var candidate in store.ReadDisputeCandidatesAsync(hubId, cancellationToken))
        {
            candidates.Add(candidate);
        }

        return DisputeDetector.Detect(candidates);
    }

    private static void LogBatch(ILogger logger, BatchReadResult batch, BatchInsertResult stored)
    {
        LedgerLog.BatchStored(logger, batch.HubId, stored.Accepted, stored.Duplicates, batch.Rejected.Count);
        if (batch.Rejected.Count > 0)
        {
            var first = batch.Rejected[0];
            LedgerLog.EventsRejected(logger, batch.HubId, batch.Rejected.Count, first.Index, first.Field, first.Message);
        }
    }

    private static IResult Error(ILogger logger, int status, string message)
    {
        LedgerLog.BatchRejected(logger, status, message);
        return Results.Json(new ErrorResponse(message), LedgerJson.Default.ErrorResponse, statusCode: status);
    }
}
