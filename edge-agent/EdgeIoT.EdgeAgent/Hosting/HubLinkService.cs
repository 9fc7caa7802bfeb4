using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Hosting;

/// <summary>
/// Runs the hub connection, its link monitor and the outbox publisher. On shutdown it first waits, up to
/// Agent:ShutdownFlushTimeout, for the outbox to drain, then disconnects with an offline status.
/// </summary>
public sealed class HubLinkService : BackgroundService
{
    private readonly HubConnection _hub;
    private readonly HubLinkMonitor _monitor;
    private readonly OutboxPublisher _publisher;
    private readonly EventOutbox _outbox;
    private readonly AgentOptions _options;
    private readonly ILogger _logger;

    public HubLinkService(
        HubConnection hub,
        HubLinkMonitor monitor,
        OutboxPublisher publisher,
        EventOutbox outbox,
        IOptions<AgentOptions> options,
        ILogger<HubLinkService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        _hub = hub;
        _monitor = monitor;
        _publisher = publisher;
        _outbox = outbox;
        _options = options.Value;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        bool drained = await _publisher.WaitUntilDrainedAsync(_options.ShutdownFlushTimeout, cancellationToken);
        if (!drained)
        {
            _logger.LogWarning(
                "Stopping with {Depth} events still in the outbox; they are sent after the next start",
                _outbox.Depth);
        }

        await base.StopAsync(cancellationToken);
        await _hub.DisconnectAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _logger.LogInformation(
            "Agent {DeviceId} starting with {Depth} events in the outbox, boot {BootId}",
            _options.DeviceId,
            _outbox.Depth,
            _outbox.BootId);
        try
        {
            await Task.WhenAll(
                _hub.RunAsync(stoppingToken), _monitor.RunAsync(stoppingToken), _publisher.RunAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }
}
