using System.Device.Gpio;
using System.Diagnostics;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Purchases;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Crypto;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>
/// One lane built from the agent's real parts without the host: SQLite outbox in a folder of
/// its own, MQTT link to a <see cref="TestHub"/> port, and a GPIO gate on the simulated driver.
/// </summary>
internal sealed class Lane : IAsyncDisposable
{
    public const string DeviceId = "lane-1";

    private readonly CancellationTokenSource _running = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loops = Task.CompletedTask;

    public Lane(
        VenueKeys keys,
        string dataDirectory,
        int hubPort,
        IReceiptPrinter? printer = null,
        int outboxCapacity = 1000,
        bool trustLocalClock = true,
        HubLinkThresholds? link = null)
    {
        DataDirectory = dataDirectory;
        Gpio = new SimulatedGpioDriver();
        Gate = new GpioGate(new GpioController(Gpio), new GpioGateOptions());
        Clock = new HubClock(TimeProvider.System, TimeSpan.FromSeconds(30), trustLocalClock);
        Outbox = new EventOutbox(Path.Combine(dataDirectory, EventOutbox.FileName), DeviceId, outboxCapacity);
        State = new HubState(
            new TokenVerifier(NSecSignatureVerifier.Instance, VenueKeys.EventId, 20),
            keys.Root.PublicKey,
            NSecSignatureVerifier.Instance,
            Path.Combine(dataDirectory, "hub-state"));
        Hub = new HubConnection(
            new HubConnectionSettings
            {
                DeviceId = DeviceId,
                Venue = TestHub.Venue,
                Host = "127.0.0.1",
                Port = hubPort,
                ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            },
            State,
            Clock);
        Hub.Connected += (_, _) => _connected.TrySetResult();
        Monitor = link is null ? null : new HubLinkMonitor(Hub, link);
        IOnlineCheck online = Monitor ?? (IOnlineCheck)Hub;
        Publisher = new OutboxPublisher(Outbox, Hub);
        Pipeline = new DecisionPipeline(
            new DecisionPipelineSettings { DeviceId = DeviceId, OnlineCheckTimeout = TimeSpan.FromMilliseconds(300) },
            State,
            Clock,
            online,
            Outbox,
            Gate);
        Terminal = new PurchaseTerminal(
            new PurchaseTerminalSettings { ReceiptHeader = "Test venue" }, State, Clock, online, Outbox, printer);
    }

    public string DataDirectory { get; }

    public SimulatedGpioDriver Gpio { get; }

    public GpioGate Gate { get; }

    public HubClock Clock { get; }

    public EventOutbox Outbox { get; }

    public HubState State { get; }

    public HubConnection Hub { get; }

    /// <summary>The link monitor between the hub and the decision path, when the lane was built with thresholds.</summary>
    public HubLinkMonitor? Monitor { get; }

    public OutboxPublisher Publisher { get; }

    public DecisionPipeline Pipeline { get; }

    public PurchaseTerminal Terminal { get; }

    /// <summary>Relay pulses so far: rising edges on the relay pin.</summary>
    public int RelayPulses => Gpio.Edges.Count(edge => edge.Pin == new GpioGateOptions().RelayPin && edge.Value == PinValue.High);

    /// <summary>Installs key list, snapshot and policy directly, as if persisted by an earlier run.</summary>
    public void InstallVenueState(VenueKeys keys)
    {
        Assert.True(State.TryApplyKeys(keys.SignedKeyList));
        Assert.True(State.TryApplySnapshot(VenueKeys.Snapshot()));
        Assert.True(State.TryApplyPolicy(VenueKeys.Policy));
    }

    /// <summary>Starts the MQTT connection loop, the outbox publisher and the link monitor's probes.</summary>
    public void Start() => _loops = Task.WhenAll(
        Hub.RunAsync(_running.Token),
        Publisher.RunAsync(_running.Token),
        Monitor?.RunAsync(_running.Token) ?? Task.CompletedTask);

    public Task WaitConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    /// <summary>Waits until the hub delivered key list, snapshot and policy.</summary>
    public async Task WaitForVenueStateAsync(CancellationToken cancellationToken)
    {
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnInstalled(object? sender, string name) => CheckComplete(all);
        State.Installed += OnInstalled;
        CheckComplete(all);
        try
        {
            await all.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            State.Installed -= OnInstalled;
        }
    }

    public Task<AgentDecision?> ScanAsync(string text, CancellationToken cancellationToken) =>
        Pipeline.DecideAsync(new ScanRead(text, ScanSource.Qr, Stopwatch.GetTimestamp()), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _running.CancelAsync();
        try
        {
            await _loops;
        }
        catch (OperationCanceledException)
        {
            // The loops end by cancellation.
        }

        await Hub.DisposeAsync();
        Pipeline.Dispose();
        Terminal.Dispose();
        Gate.Dispose();
        Outbox.Dispose();
        _running.Dispose();
    }

    private void CheckComplete(TaskCompletionSource all)
    {
        if (State.Verifier.Keys is not null && State.Snapshot is not null && State.Policy is not null)
        {
            all.TrySetResult();
        }
    }
}
