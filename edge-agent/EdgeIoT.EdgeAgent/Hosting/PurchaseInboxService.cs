using System.Text.Json;
using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.Purchases;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Hosting;

/// <summary>
/// Takes walk-in purchase requests from <c>Agent:PurchaseInbox</c>, as a till keypad would:
/// each <c>*.json</c> file contains <c>{"token", "amountMinor", "description"}</c> and an
/// optional <c>"requestId"</c> (the file name without extension by default). A request id is
/// sold at most once. The result goes to <c>{name}.result.json</c>, then the request is deleted.
/// </summary>
public sealed partial class PurchaseInboxService : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IPurchaseTerminal _terminal;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PurchaseInboxService> _logger;

    public PurchaseInboxService(
        IPurchaseTerminal terminal, IOptions<AgentOptions> options, TimeProvider time, ILogger<PurchaseInboxService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        _terminal = terminal;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(_options.PurchaseInbox))
        {
            return;
        }

        string folder = Path.GetFullPath(_options.PurchaseInbox, _options.DataDirectory);
        Directory.CreateDirectory(folder);
        LogWatching(folder);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (string file in PendingRequests(folder))
                {
                    await HandleAsync(file, stoppingToken);
                }

                await Task.Delay(PollInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown; requests not yet taken stay in the folder.
        }
    }

    private static List<string> PendingRequests(string folder) =>
        Directory.EnumerateFiles(folder, "*.json")
            .Where(file => !file.EndsWith(".result.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private async Task HandleAsync(string file, CancellationToken stoppingToken)
    {
        PurchaseRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<PurchaseRequest>(await File.ReadAllBytesAsync(file, stoppingToken), Json);
        }
        catch (Exception exception) when (exception is JsonException or IOException)
        {
            LogUnreadable(exception, file);
            File.Delete(file);
            return;
        }

        string requestId = request?.RequestId ?? Path.GetFileNameWithoutExtension(file);
        if (request is not { Token: { Length: > 0 } token } || request.AmountMinor is <= 0 or > uint.MaxValue
            || requestId.Length is 0 or > 128)
        {
            LogInvalid(file);
            File.Delete(file);
            return;
        }

        // The request id is stored with the sale in one transaction, so after a crash between the
        // sale and the delete below, the next start returns the stored sale instead of selling again.
        PurchaseResult result = await _terminal.PurchaseAsync(
            token, request.AmountMinor, request.Description ?? "Walk-in purchase", requestId, stoppingToken);

        string resultFile = Path.ChangeExtension(file, ".result.json");
        await File.WriteAllTextAsync(resultFile, JsonSerializer.Serialize(result, Json), stoppingToken);
        File.Delete(file);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Taking walk-in purchase requests from {Folder}")]
    private partial void LogWatching(string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purchase request {File} is not readable JSON; it was deleted")]
    private partial void LogUnreadable(Exception exception, string file);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Purchase request {File} has no token, an amount outside 1 to 4294967295 minor units or a request id outside 1 to 128 characters; it was deleted")]
    private partial void LogInvalid(string file);

    private sealed record PurchaseRequest(string? Token, long AmountMinor, string? Description, string? RequestId);
}
