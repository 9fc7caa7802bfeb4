using System.Device.Gpio;
using EdgeIoT.EdgeAgent;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.Devices;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Purchases;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// A Raspberry Pi lane: the real edge agent host, with a camera, a serial scanner module or a
/// keyboard-mode (HID) scanner, a
/// GPIO gate on a simulated GPIO chip, and an ESC/POS printer simulator on a loopback TCP
/// port. Its MQTT link to the hub and its printer link run through fault proxies. A power
/// loss stops the host with its hub link cut, so nothing is flushed. A new host then starts
/// on the same data folder, and the peripherals stay, as they would on a real lane.
/// </summary>
public sealed class AgentLane : IGateLane
{
    // The simulated light barrier does not bounce, and the crowd runs on compressed time with
    // guests a few tens of milliseconds apart, so the passage debounce is shortened to match.
    private static readonly GpioGateOptions GateWiring = new() { PassageDebounce = TimeSpan.FromMilliseconds(5) };

    // A guest who turns back frees the lane when the next admit opens the gate, or after this.
    private static readonly TimeSpan PassageTimeout = TimeSpan.FromSeconds(3);

    private readonly LaneParts _parts;
    private readonly GuestTurns _turns = new();
    private IHost _host;
    private EventOutbox _outbox;
    private HubState _state;
    private HubClock _hubClock;
    private HubConnection _connection;
    private IPurchaseTerminal _till;
    private long _lastPassage;
    private bool _poweredOff;
    private int _receipts;

    private AgentLane(LaneParts parts, IHost host)
    {
        _parts = parts;
        _host = host;
        (_outbox, _state, _hubClock, _connection, _till) = Attach(host);
    }

    public string DeviceId => _parts.Spec.Id;

    public string DeviceClass => "agent";

    public LaneSpec Spec => _parts.Spec;

    public FaultProxy HubLink => _parts.HubLink;

    public FaultProxy? PrinterLink => _parts.PrinterLink;

    public SimulatedClock Clock => _parts.Clock;

    public bool HasTill => true;

    public long LastSequence => _outbox.LastSeq;

    public int OutboxDepth => _outbox.Depth;

    public int ReceiptsPrinted => Volatile.Read(ref _receipts);

    public bool IsReady =>
        !_poweredOff && _state.Verifier.Keys != null && _state.Snapshot != null && _state.Policy != null
        && _hubClock.IsReliable;

    public bool IsConnected => !_poweredOff && _connection.IsConnected;

    public event EventHandler<bool>? HubConnectionChanged;

    public int Annulled => _parts.Gate.Annulled;

    public int Tailgates => _parts.Gate.Tailgates;

    public static async Task<AgentLane> StartAsync(
        LaneSpec spec,
        HubNode hub,
        string dataDirectory,
        ScenarioOptions scenario,
        SimulatedClock venueClock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        Enrollment enrollment = await hub.Client.EnrollAsync(spec.Id, "agent", spec.Zone, cancellationToken);
        LaneParts parts = LaneParts.Create(spec, hub, dataDirectory, scenario, venueClock, enrollment, loggers);
        IHost host = parts.BuildHost();
        await host.StartAsync(cancellationToken);

        // The light barrier idles high (pull-up); a guest walking through pulls it low.
        parts.Gpio.SetInput(GateWiring.PassageSensorPin, PinValue.High);
        var lane = new AgentLane(parts, host);
        parts.OnUnreadable = () => lane._turns.Decide(null);
        return lane;
    }

    public async Task<LaneDecision?> PresentAsync(byte[] qrPng, ScanHabits habits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(habits);

        return await _turns.PresentAsync(
            async () => await _parts.PresentAsync(qrPng, habits),
            decision => PassIfAdmittedAsync(decision, habits.Passage, cancellationToken),
            cancellationToken);
    }

    public bool HasNfcReader => _parts.Nfc is not null;

    public async Task<LaneDecision?> PresentTagAsync(string tokenText, ScanHabits habits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(habits);
        Pn532Simulator reader = _parts.Nfc
            ?? throw new NotSupportedException($"{DeviceId} has no NFC reader; set \"nfc\": true on the lane.");

        try
        {
            return await _turns.PresentAsync(
                () =>
                {
                    reader.PlaceTag(SimulatedNtag.WithText(_parts.NextTagUid(), tokenText));
                    return Task.CompletedTask;
                },
                decision =>
                {
                    reader.RemoveTag();
                    return PassIfAdmittedAsync(decision, habits.Passage, cancellationToken);
                },
                cancellationToken);
        }
        finally
        {
            // A guest who got no decision takes the tag away too.
            reader.RemoveTag();
        }
    }

    public async Task<LaneSale> SellAsync(
        string tokenText, long amountMinor, string description, CancellationToken cancellationToken)
    {
        await _turns.WaitAsync(cancellationToken);
        try
        {
            PurchaseResult result = await _till.PurchaseAsync(tokenText, amountMinor, description, cancellationToken);
            if (result.ReceiptPrinted)
            {
                Interlocked.Increment(ref _receipts);
            }

            return new LaneSale(
                result.Accepted, result.Accepted ? null : RejectReasons.ToCode(result.Reason), result.ReceiptPrinted);
        }
        finally
        {
            _turns.Release();
        }
    }

    public async Task PowerLossAsync()
    {
        // Guests queue at a dark lane. The power cut waits for the guest at the scanner, then
        // keeps the lane until power returns.
        await _turns.WaitAheadOfQueueAsync();
        _poweredOff = true;
        HubConnectionChanged?.Invoke(this, false);
        bool wasPartitioned = HubLink.IsPartitioned;
        if (!wasPartitioned)
        {
            HubLink.Partition();
        }

        // A cancelled token makes every hosted service skip its graceful work, and the cut link
        // keeps the outbox flush from reaching the hub. A USB scanner loses power with the board.
        _parts.UnplugHidScanner();
        await _host.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _host.Dispose();
        if (!wasPartitioned)
        {
            HubLink.Heal();
        }
    }

    public async Task PowerOnAsync(CancellationToken cancellationToken)
    {
        if (!_poweredOff)
        {
            return;
        }

        try
        {
            _parts.PlugHidScanner();
            IHost host = _parts.BuildHost();
            await host.StartAsync(cancellationToken);
            _host = host;
            (_outbox, _state, _hubClock, _connection, _till) = Attach(host);
            _poweredOff = false;
            await LaneReadiness.WaitAsync(this, cancellationToken);
        }
        finally
        {
            _turns.Release();
        }
    }

    public void SetPaperOut(bool paperOut) => _parts.Printer.PaperOut = paperOut;

    public async ValueTask DisposeAsync()
    {
        if (!_poweredOff)
        {
            _parts.UnplugHidScanner();
            await _host.StopAsync();
            _host.Dispose();
        }

        await _parts.DisposeAsync();
    }

    private (EventOutbox, HubState, HubClock, HubConnection, IPurchaseTerminal) Attach(IHost host)
    {
        host.Services.GetRequiredService<DecisionPipeline>().Decided += OnDecided;
        var connection = host.Services.GetRequiredService<HubConnection>();
        connection.Connected += (_, _) => HubConnectionChanged?.Invoke(this, true);
        connection.Disconnected += (_, _) => HubConnectionChanged?.Invoke(this, false);

        // The host starts connecting before these handlers exist, so a connect it already made is
        // reported here. A second report of the same state is harmless to listeners.
        if (connection.IsConnected)
        {
            HubConnectionChanged?.Invoke(this, true);
        }

        return (
            host.Services.GetRequiredService<EventOutbox>(),
            host.Services.GetRequiredService<HubState>(),
            host.Services.GetRequiredService<HubClock>(),
            connection,
            host.Services.GetRequiredService<IPurchaseTerminal>());
    }

    private async Task PassIfAdmittedAsync(LaneDecision? decision, PassageBehaviour passage, CancellationToken cancellationToken)
    {
        if (decision?.Admitted != true || passage == PassageBehaviour.TurnBack)
        {
            return;
        }

        await TriggerLightBarrierAsync(cancellationToken);
        if (passage == PassageBehaviour.Tailgate)
        {
            // The second person crosses after the debounce, so the sensor counts a second passage.
            await TriggerLightBarrierAsync(cancellationToken);
        }
    }

    private async Task TriggerLightBarrierAsync(CancellationToken cancellationToken)
    {
        // A person needs longer to cross than the debounce, so two passages never fall inside
        // it. Without this wait, offline decisions a millisecond apart would merge two guests.
        TimeSpan sincePrevious = System.Diagnostics.Stopwatch.GetElapsedTime(_lastPassage);
        TimeSpan gap = GateWiring.PassageDebounce * 3;
        if (_lastPassage != 0 && sincePrevious < gap)
        {
            await Task.Delay(gap - sincePrevious, cancellationToken);
        }

        _parts.Gpio.SetInput(GateWiring.PassageSensorPin, PinValue.Low);
        _parts.Gpio.SetInput(GateWiring.PassageSensorPin, PinValue.High);
        _lastPassage = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    private void OnDecided(object? sender, AgentDecision decision)
    {
        _turns.Decide(new LaneDecision(
            decision.Admitted,
            RejectReasons.ToCode(decision.Reason),
            decision.Mode,
            decision.PolicyVersion,
            decision.Latency));
    }

    /// <summary>What outlives a power cut: the peripherals, the links and the host's settings.</summary>
    private sealed class LaneParts : IAsyncDisposable
    {
        private readonly Func<IHost> _buildHost;
        private readonly SimulatedCamera? _camera;
        private readonly SerialScannerModule? _module;
        private readonly IAsyncDisposable? _scannerPort;
        private readonly IScanner _scanner;
        private readonly IReceiptPrinter _printerDriver;
        private int _tags;

        private LaneParts(
            LaneSpec spec,
            FaultProxy hubLink,
            FaultProxy printerLink,
            SimulatedClock clock,
            SimulatedGpioDriver gpio,
            ObservedGate gate,
            EscPosPrinterSimulator printer,
            IReceiptPrinter printerDriver,
            (IScanner Scanner, SimulatedCamera? Camera, SerialScannerModule? Module, IAsyncDisposable? Port) scanning,
            Pn532Simulator? nfc,
            Func<LaneParts, IHost> buildHost)
        {
            Spec = spec;
            HubLink = hubLink;
            PrinterLink = printerLink;
            Clock = clock;
            Gpio = gpio;
            Gate = gate;
            Printer = printer;
            _printerDriver = printerDriver;
            (_scanner, _camera, _module, _scannerPort) = scanning;
            Nfc = nfc;
            _buildHost = () => buildHost(this);
        }

        public LaneSpec Spec { get; }

        public FaultProxy HubLink { get; }

        public FaultProxy PrinterLink { get; }

        public SimulatedClock Clock { get; }

        public SimulatedGpioDriver Gpio { get; }

        public ObservedGate Gate { get; }

        public EscPosPrinterSimulator Printer { get; }

        /// <summary>The simulated PN532 behind the lane's NFC reader, or null for a lane without one.</summary>
        public Pn532Simulator? Nfc { get; }

        public Action OnUnreadable { get; set; } = () => { };

        public IScanner Scanner => _scanner;

        public IReceiptPrinter PrinterDriver => _printerDriver;

        /// <summary>
        /// Returns a new 7-byte NTAG UID, so the reader sees each guest's tag as a new tag even
        /// when it did not poll the field empty in between.
        /// </summary>
        public byte[] NextTagUid()
        {
            int number = Interlocked.Increment(ref _tags);
            return [0x04, 0x53, 0x49, (byte)(number >> 24), (byte)(number >> 16), (byte)(number >> 8), (byte)number];
        }

        public static LaneParts Create(
            LaneSpec spec,
            HubNode hub,
            string dataDirectory,
            ScenarioOptions scenario,
            SimulatedClock venueClock,
            Enrollment enrollment,
            ILoggerFactory loggers)
        {
            int seed = LaneSeeds.For(scenario.Seed, spec.Id);
            var hubLink = new FaultProxy($"{spec.Id}-hub", hub.MqttEndpoint, loggers.CreateLogger<FaultProxy>());
            var clock = new SimulatedClock(venueClock);
            var gpio = new SimulatedGpioDriver();
            var gate = new ObservedGate(
                new GpioGate(new GpioController(gpio), GateWiring, logger: loggers.CreateLogger<GpioGate>()));
            var printer = new EscPosPrinterSimulator(loggers.CreateLogger<EscPosPrinterSimulator>());
            var printerLink = new FaultProxy(
                $"{spec.Id}-printer", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, printer.Port),
                loggers.CreateLogger<FaultProxy>());
            IReceiptPrinter printerDriver = EscPosPrinter.ForTcp(
                new EscPosPrinterOptions { Host = "127.0.0.1", Port = printerLink.Port }, loggers.CreateLogger<EscPosPrinter>());

            LaneParts? parts = null;
            (IScanner scanner, SimulatedCamera? camera, SerialScannerModule? module, IAsyncDisposable? port) =
                CreateScanner(spec, scenario.BlurShare, seed, () => parts?.OnUnreadable(), loggers);
            Pn532Simulator? nfc = null;
            if (spec.Nfc)
            {
                // The agent's real PN532 driver reads the simulated controller over a pseudo-terminal.
                // Its reads merge with the QR scanner's, as on a lane configured with both readers.
                nfc = new Pn532Simulator();
                var reader = new Pn532NfcReader(
                    new Pn532NfcReaderOptions { Name = $"{spec.Id}-nfc", PortName = nfc.PortName },
                    logger: loggers.CreateLogger<Pn532NfcReader>());
                scanner = new MergedScanner([scanner, reader]);
            }

            parts = new LaneParts(
                spec, hubLink, printerLink, clock, gpio, gate, printer, printerDriver, (scanner, camera, module, port), nfc,
                p => BuildHost(p, hub, dataDirectory, enrollment, scenario.OnlineCheckTimeout, loggers));
            return parts;
        }

        public IHost BuildHost() => _buildHost();

        /// <summary>Removes a HID scanner's device, so the agent's driver stops reading; no-op for other scanners.</summary>
        public void UnplugHidScanner() => (_scannerPort as HidScannerLink)?.Unplug();

        public void PlugHidScanner() => (_scannerPort as HidScannerLink)?.Plug();

        public ValueTask PresentAsync(byte[] png, ScanHabits habits) =>
            _module is not null ? _module.PresentAsync(png, habits) : _camera!.PresentAsync(png);

        public async ValueTask DisposeAsync()
        {
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }

            await _scanner.DisposeAsync();
            if (_scannerPort is not null)
            {
                await _scannerPort.DisposeAsync();
            }

            Nfc?.Dispose();
            await Printer.DisposeAsync();
            await PrinterLink.DisposeAsync();
            await HubLink.DisposeAsync();
            Gate.Dispose();
            Gpio.Dispose();
        }

        /// <summary>
        /// Creates the lane's QR scanner: the driver the agent reads, and the simulated part the
        /// crowd shows codes to. The last element is the simulated device end of the link to dispose.
        /// </summary>
        private static (IScanner, SimulatedCamera?, SerialScannerModule?, IAsyncDisposable?) CreateScanner(
            LaneSpec spec, double blurShare, int seed, Action onUnreadable, ILoggerFactory loggers)
        {
            if (spec.Scanner == ScannerKind.Camera)
            {
                var camera = new SimulatedCamera(
                    new SimulatedCameraOptions { Name = $"{spec.Id}-camera", BlurShare = blurShare, Seed = seed },
                    loggers.CreateLogger<SimulatedCamera>());
                camera.Unreadable += (_, _) => onUnreadable();
                return (camera, camera, null, null);
            }

            if (spec.Scanner == ScannerKind.Hid)
            {
                // The same imager decodes the frame; the scanner then types the line as key events.
                var hid = new HidScannerLink($"{spec.Id}-hid", spec.HidLayout, loggers);
                var typist = new SerialScannerModule(
                    $"{spec.Id}-scanner", blurShare, seed, hid.TypeLineAsync, onUnreadable, loggers);
                return (hid.Driver, null, typist, hid);
            }

            // The scanner module's serial line reaches the agent over a TCP serial server, so
            // the agent's real line driver frames the bytes.
            var port = new TcpScannerSimulator();
            var module = new SerialScannerModule(
                $"{spec.Id}-scanner", blurShare, seed, port.SendLineAsync, onUnreadable, loggers);
            var driver = new TcpLineScanner(
                new TcpLineScannerOptions { Name = $"{spec.Id}-serial", Port = port.Port },
                logger: loggers.CreateLogger<TcpLineScanner>());
            return (driver, null, module, port);
        }

        private static IHost BuildHost(
            LaneParts parts, HubNode hub, string dataDirectory, Enrollment enrollment, TimeSpan? onlineCheckTimeout,
            ILoggerFactory loggers) =>
            AgentApp.Build(
                HostArguments.InProcess(),
                options =>
                {
                    options.DeviceId = parts.Spec.Id;
                    options.Zone = parts.Spec.Zone;
                    options.Venue = hub.Venue;
                    options.EventId = hub.EventId;
                    options.DataDirectory = dataDirectory;
                    options.RootPublicKey = enrollment.RootPublicKey;
                    options.PassageTimeout = PassageTimeout;
                    options.OnlineCheckTimeout = onlineCheckTimeout ?? options.OnlineCheckTimeout;
                    options.Mqtt.Host = "127.0.0.1";
                    options.Mqtt.Port = parts.HubLink.Port;
                    options.Mqtt.Username = enrollment.MqttUsername;
                    options.Mqtt.Password = enrollment.MqttPassword;
                },
                services =>
                {
                    HostArguments.UseLoggers(services, loggers);
                    services.AddSingleton<TimeProvider>(parts.Clock);
                    services.AddSingleton(parts.Scanner);
                    services.AddSingleton<IGate>(parts.Gate);
                    services.AddSingleton(parts.PrinterDriver);
                });
    }
}
