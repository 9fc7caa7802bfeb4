using System.Text.Json;
using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.Purchases;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Hosting;

/// <summary>
/// Takes walk-in purchase requests from <c>Agent:PurchaseInbox</c>, as a till keypad would:
/// each <c>*.json</c> file contains <c>{"token", "amountMinor", "description"}</c>. The file is
/// deleted once the sale is decided, and the result goes to <c>{name}.result.json</c>.
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

        if (request is not { Token: { Length: > 0 } token } || request.AmountMinor <= 0)
        {
            LogInvalid(file);
            File.Delete(file);
            return;
        }

        PurchaseResult result = await _terminal.PurchaseAsync(
            token, request.AmountMinor, request.Description ?? "Walk-in purchase", stoppingToken);

        // NOTE: a crash after the sale is stored and before this delete makes the next start sell
        // again, as a clerk pressing twice would. The second sale is a new payment event.
        File.Delete(file);
        string resultFile = Path.ChangeExtension(file, ".result.json");
        await File.WriteAllTextAsync(resultFile, JsonSerializer.Serialize(result, Json), stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Taking walk-in purchase requests from {Folder}")]
    private partial void LogWatching(string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purchase request {File} is not readable JSON; it was deleted")]
    private partial void LogUnreadable(Exception exception, string file);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Purchase request {File} has no token or an amount that is not positive; it was deleted")]
    private partial void LogInvalid(string file);

    private sealed record PurchaseRequest(string? Token, long AmountMinor, string? Description);
}
