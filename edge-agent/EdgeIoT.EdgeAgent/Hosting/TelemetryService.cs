using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Purchases;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Hosting;

/// <summary>
/// Publishes a <see cref="DeviceTelemetry"/> sample at QoS 0 every Agent:TelemetryInterval,
/// and checks the payment forwarding deadline at the same pace.
/// </summary>
public sealed class TelemetryService : BackgroundService
{
    private readonly HubConnection _hub;
    private readonly EventOutbox _outbox;
    private readonly HubClock _clock;
    private readonly HubState _state;
    private readonly TimeProvider _timeProvider;
    private readonly AgentOptions _options;
    private readonly PaymentDeadline _deadline;

    public TelemetryService(
        HubConnection hub,
        EventOutbox outbox,
        HubClock clock,
        HubState state,
        TimeProvider timeProvider,
        IOptions<AgentOptions> options,
        PaymentDeadline deadline)
    {
        ArgumentNullException.ThrowIfNull(options);

        _hub = hub;
        _outbox = outbox;
        _clock = clock;
        _state = state;
        _timeProvider = timeProvider;
        _options = options.Value;
        _deadline = deadline;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string topic = Topics.Telemetry(_options.Venue, _options.DeviceId);
        using var timer = new PeriodicTimer(_options.TelemetryInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Raises or clears the overdue-payment alarm even while no purchase happens.
                _deadline.Check();
                _hub.PublishBestEffort(topic, ProtocolJson.Serialize(new DeviceTelemetry
                {
                    DeviceId = _options.DeviceId,
                    TimeMs = _clock.NowUnixMilliseconds,
                    OutboxDepth = _outbox.Depth,
                    HubConnected = _hub.IsConnected,
                    ClockOffsetMs = _clock.OffsetMs,
                    KeyListVersion = _state.Verifier.Keys?.Version,
                    SnapshotVersion = _state.Snapshot?.Version,
                    DeadLetters = _outbox.DeadLetterCount,
                }));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }
}
