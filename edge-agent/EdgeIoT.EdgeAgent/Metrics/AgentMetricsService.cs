using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace EdgeIoT.EdgeAgent.Metrics;

/// <summary>
/// Serves the agent's metrics at <c>http://127.0.0.1:{Agent:Metrics:Port}/metrics</c> while
/// <c>Agent:Metrics:Enabled</c> is true. It binds loopback only, so no new port opens on the
/// lane network: a Prometheus on the Pi or an SSH tunnel scrapes it.
/// </summary>
public sealed partial class AgentMetricsService(
    IOptions<AgentOptions> options,
    DecisionPipeline pipeline,
    EventOutbox outbox,
    HubConnection hub,
    HubClock clock,
    HubState state,
    ILogger<AgentMetricsService> logger) : IHostedService, IDisposable
{
    private AgentMetrics? _metrics;
    private MeterProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        AgentMetricsOptions settings = options.Value.Metrics;
        if (!settings.Enabled)
        {
            return Task.CompletedTask;
        }

        string? problem = settings.FindProblem();
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        _metrics = new AgentMetrics(options.Value.DeviceId, outbox, hub, clock, state);
        pipeline.Decided += OnDecided;
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(AgentMetrics.MeterName)
            .AddPrometheusHttpListener(listener =>
            {
                listener.Host = "127.0.0.1";
                listener.Port = settings.Port;
            })
            .Build();
        LogServing($"http://127.0.0.1:{settings.Port}/metrics");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        pipeline.Decided -= OnDecided;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _metrics?.Dispose();
    }

    private void OnDecided(object? sender, AgentDecision decision) => _metrics?.Record(decision);

    [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "Serving metrics at {MetricsUrl}")]
    private partial void LogServing(string metricsUrl);
}
