using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.Hardware;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.EdgeAgent.Hosting;

/// <summary>Feeds every read of the lane's scanner into the decision pipeline.</summary>
public sealed class ScanService : BackgroundService
{
    private readonly IScanner _scanner;
    private readonly DecisionPipeline _pipeline;
    private readonly ILogger _logger;

    public ScanService(IScanner scanner, DecisionPipeline pipeline, ILogger<ScanService> logger)
    {
        _scanner = scanner;
        _pipeline = pipeline;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _logger.LogInformation("Reading scans from {Scanner}", _scanner.Name);
        try
        {
            await foreach (ScanRead scan in _scanner.ReadAllAsync(stoppingToken))
            {
                await DecideSafelyAsync(scan, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    private async Task DecideSafelyAsync(ScanRead scan, CancellationToken stoppingToken)
    {
        try
        {
            await _pipeline.DecideAsync(scan, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // One bad scan or device fault must not stop the lane.
            _logger.LogError(exception, "Deciding a scan from {Scanner} failed; the lane keeps reading", _scanner.Name);
        }
    }
}
