using System.Device.Gpio;
using EdgeIoT.EdgeAgent;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Purchases;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// A Raspberry Pi lane: the real edge agent host, with a simulated camera, a GPIO gate on a
/// simulated GPIO chip, and an ESC/POS printer simulator on a loopback TCP port. Its MQTT
/// link to the hub runs through a fault proxy.
/// </summary>
public sealed class AgentLane : IGateLane
{
    private static readonly TimeSpan DecisionTimeout = TimeSpan.FromSeconds(5);
    // The simulated light barrier does not bounce, and the crowd runs on compressed time with
    // guests a few tens of milliseconds apart, so the passage debounce is shortened to match.
    private static readonly GpioGateOptions GateWiring = new() { PassageDebounce = TimeSpan.FromMilliseconds(5) };

    private readonly IHost _host;
    private readonly SimulatedCamera _camera;
    private readonly SimulatedGpioDriver _gpio;
    private readonly EscPosPrinterSimulator _printer;
    private readonly EventOutbox _outbox;
    private readonly HubState _state;
    private readonly HubClock _clock;
    private readonly IPurchaseTerminal _till;
    private readonly SemaphoreSlim _oneGuestAtATime = new(1, 1);
    private TaskCompletionSource<LaneDecision?>? _pending;
    private int _receipts;

    private AgentLane(
        string deviceId, IHost host, SimulatedCamera camera, SimulatedGpioDriver gpio, EscPosPrinterSimulator printer,
        FaultProxy hubLink)
    {
        DeviceId = deviceId;
        HubLink = hubLink;
        _host = host;
        _camera = camera;
        _gpio = gpio;
        _printer = printer;
        _outbox = host.Services.GetRequiredService<EventOutbox>();
        _state = host.Services.GetRequiredService<HubState>();
        _clock = host.Services.GetRequiredService<HubClock>();
        _till = host.Services.GetRequiredService<IPurchaseTerminal>();
        host.Services.GetRequiredService<DecisionPipeline>().Decided += OnDecided;
        camera.Unreadable += (_, _) => _pending?.TrySetResult(null);
    }

    public string DeviceId { get; }

    public string DeviceClass => "agent";

    public FaultProxy HubLink { get; }

    public bool HasTill => true;

    public long LastSequence => _outbox.LastSeq;

    public int OutboxDepth => _outbox.Depth;

    public int ReceiptsPrinted => Volatile.Read(ref _receipts);

    public bool IsReady =>
        _state.Verifier.Keys != null && _state.Snapshot != null && _state.Policy != null && _clock.IsReliable;

    public static async Task<AgentLane> StartAsync(
        string deviceId,
        HubNode hub,
        string dataDirectory,
        double blurShare,
        int seed,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        Enrollment enrollment = await hub.Client.EnrollAsync(deviceId, "agent", zone: 0, cancellationToken);
        var hubLink = new FaultProxy($"{deviceId}-hub", hub.MqttEndpoint, loggers.CreateLogger<FaultProxy>());
        var gpio = new SimulatedGpioDriver();
        var camera = new SimulatedCamera(
            new SimulatedCameraOptions { Name = $"{deviceId}-camera", BlurShare = blurShare, Seed = seed },
            loggers.CreateLogger<SimulatedCamera>());
        var printer = new EscPosPrinterSimulator(loggers.CreateLogger<EscPosPrinterSimulator>());
        var gate = new GpioGate(new GpioController(gpio), GateWiring, logger: loggers.CreateLogger<GpioGate>());
        IReceiptPrinter printerDriver = EscPosPrinter.ForTcp(
            new EscPosPrinterOptions { Host = "127.0.0.1", Port = printer.Port }, loggers.CreateLogger<EscPosPrinter>());

        IHost host = AgentApp.Build(
            HostArguments.InProcess(),
            options =>
            {
                options.DeviceId = deviceId;
                options.Venue = hub.Venue;
                options.EventId = hub.EventId;
                options.DataDirectory = dataDirectory;
                options.RootPublicKey = enrollment.RootPublicKey;
                options.Mqtt.Host = "127.0.0.1";
                options.Mqtt.Port = hubLink.Port;
                options.Mqtt.Username = enrollment.MqttUsername;
                options.Mqtt.Password = enrollment.MqttPassword;
            },
            services =>
            {
                HostArguments.UseLoggers(services, loggers);
                services.AddSingleton<IScanner>(camera);
                services.AddSingleton<IGate>(gate);
                services.AddSingleton(printerDriver);
            });
        await host.StartAsync(cancellationToken);

        // The light barrier idles high (pull-up); a guest walking through pulls it low.
        gpio.SetInput(GateWiring.PassageSensorPin, PinValue.High);
        return new AgentLane(deviceId, host, camera, gpio, printer, hubLink);
    }

    public async Task<LaneDecision?> PresentAsync(byte[] qrPng, CancellationToken cancellationToken)
    {
        await _oneGuestAtATime.WaitAsync(cancellationToken);
        try
        {
            var pending = new TaskCompletionSource<LaneDecision?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending = pending;
            await _camera.PresentAsync(qrPng);
            LaneDecision? decision = await pending.Task.WaitAsync(DecisionTimeout, cancellationToken);
            if (decision?.Admitted == true)
            {
                WalkThrough();
            }

            return decision;
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _pending = null;
            _oneGuestAtATime.Release();
        }
    }

    public async Task<LaneSale> SellAsync(
        string tokenText, long amountMinor, string description, CancellationToken cancellationToken)
    {
        PurchaseResult result = await _till.PurchaseAsync(tokenText, amountMinor, description, cancellationToken);
        if (result.ReceiptPrinted)
        {
            Interlocked.Increment(ref _receipts);
        }

        return new LaneSale(result.Accepted, result.Accepted ? null : RejectReasons.ToCode(result.Reason), result.ReceiptPrinted);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _camera.DisposeAsync();
        await _printer.DisposeAsync();
        await HubLink.DisposeAsync();
        _gpio.Dispose();
        _oneGuestAtATime.Dispose();
    }

    private void WalkThrough()
    {
        _gpio.SetInput(GateWiring.PassageSensorPin, PinValue.Low);
        _gpio.SetInput(GateWiring.PassageSensorPin, PinValue.High);
    }

    private void OnDecided(object? sender, AgentDecision decision)
    {
        _pending?.TrySetResult(new LaneDecision(
            decision.Admitted,
            RejectReasons.ToCode(decision.Reason),
            decision.Mode,
            decision.PolicyVersion,
            decision.Latency));
    }
}
