using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Scenarios;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// An ESP32 lane: the firmware core on a virtual ESP32 with a flash file, behind a serial QR
/// scanner module whose imager decodes the guest's image and sends the text as a line. With
/// <see cref="LaneSpec.Nfc"/> the device also takes NFC tag taps.
/// </summary>
public sealed class FirmwareLane : IGateLane
{
    private readonly VirtualEsp32 _device;
    private readonly SerialScannerModule _scannerModule;
    private readonly GuestTurns _turns = new();
    private bool _poweredOff;
    private int _tags;

    private FirmwareLane(
        LaneSpec spec, VirtualEsp32 device, Func<FirmwareLane, SerialScannerModule> scannerModule, FaultProxy hubLink,
        SimulatedClock clock)
    {
        Spec = spec;
        _device = device;
        HubLink = hubLink;
        Clock = clock;
        device.Decided += OnDecided;
        device.HubConnectionChanged += (_, connected) => HubConnectionChanged?.Invoke(this, connected);
        _scannerModule = scannerModule(this);
    }

    public string DeviceId => _device.DeviceId;

    public string DeviceClass => "firmware";

    public LaneSpec Spec { get; }

    public FaultProxy HubLink { get; }

    public FaultProxy? PrinterLink => null;

    public SimulatedClock Clock { get; }

    public bool HasTill => false;

    public long LastSequence => _device.EventsProduced;

    public int OutboxDepth => _device.QueueDepth;

    public int ReceiptsPrinted => 0;

    public bool IsReady =>
        _device.App is { } app && app.KeyListVersion > 0 && app.SnapshotVersion > 0 && app.PolicyVersion != null
        && app.ClockSynchronized;

    public bool IsConnected => _device.IsConnected;

    public event EventHandler<bool>? HubConnectionChanged;

    public int Annulled => _device.Annulled;

    public int Tailgates => _device.Tailgates;

    public static async Task<FirmwareLane> StartAsync(
        LaneSpec spec,
        HubNode hub,
        string dataDirectory,
        ScenarioOptions scenario,
        SimulatedClock venueClock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        Enrollment enrollment = await hub.Client.EnrollAsync(spec.Id, "firmware", spec.Zone, cancellationToken);
        var hubLink = new FaultProxy($"{spec.Id}-hub", hub.MqttEndpoint, loggers.CreateLogger<FaultProxy>());
        var clock = new SimulatedClock(venueClock);
        var options = new VirtualEsp32Options
        {
            DeviceId = spec.Id,
            Venue = hub.Venue,
            EventId = hub.EventId,
            Zone = spec.Zone,
            MqttHost = "127.0.0.1",
            MqttPort = hubLink.Port,
            Username = enrollment.MqttUsername,
            Password = enrollment.MqttPassword,
            RootPublicKey = hub.RootPublicKey,
            FlashFile = Path.Combine(dataDirectory, spec.Id + ".flash"),
            TimeProvider = clock,

            // 1 MiB of queue flash, a common partition size on 4 MiB ESP32 modules.
            FlashSectorCount = 256,

            // The crowd runs on compressed time, guests a few tens of milliseconds apart, so the
            // relay pulse is shortened from the 300 ms a real turnstile needs.
            PulseMilliseconds = 50,
        };
        VirtualEsp32 device = await VirtualEsp32.StartAsync(options, loggers, cancellationToken);
        int seed = LaneSeeds.For(scenario.Seed, spec.Id);
        return new FirmwareLane(
            spec,
            device,
            lane => new SerialScannerModule(
                $"{spec.Id}-scanner", scenario.BlurShare, seed, lane.SubmitLineAsync,
                () => lane._turns.Decide(null), loggers),
            hubLink,
            clock);
    }

    public async Task<LaneDecision?> PresentAsync(byte[] qrPng, ScanHabits habits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(habits);

        return await _turns.PresentAsync(
            async () => await _scannerModule.PresentAsync(qrPng, habits),
            async decision =>
            {
                await _scannerModule.LinesSentAsync(cancellationToken);
                await TailgateIfAdmittedAsync(decision, habits.Passage, cancellationToken);
            },
            cancellationToken);
    }

    public bool HasNfcReader => Spec.Nfc;

    /// <summary>
    /// Taps a tag holding <paramref name="tokenText"/>'s token at the lane's reader. The virtual
    /// ESP32 gets the tag's data area directly.
    /// </summary>
    /// <remarks>
    /// NOTE: the firmware core has no NFC reader driver (PN532 or MFRC522), so no reader bytes
    /// are simulated here, unlike at agent lanes.
    /// </remarks>
    public async Task<LaneDecision?> PresentTagAsync(string tokenText, ScanHabits habits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(habits);
        if (!Spec.Nfc)
        {
            throw new NotSupportedException($"{DeviceId} has no NFC reader; set \"nfc\": true on the lane.");
        }

        return await _turns.PresentAsync(
            async () =>
            {
                await WaitForIdleGateAsync(cancellationToken);
                _device.SubmitTag(FirmwareTags.Uid(Interlocked.Increment(ref _tags)), FirmwareTags.DataFor(tokenText));
            },
            decision => TailgateIfAdmittedAsync(decision, habits.Passage, cancellationToken),
            cancellationToken);
    }

    public Task<LaneSale> SellAsync(
        string tokenText, long amountMinor, string description, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{DeviceId} is a turnstile controller without a till.");

    public async Task PowerLossAsync()
    {
        await _turns.WaitAheadOfQueueAsync();
        _poweredOff = true;
        await _device.PowerLossAsync();
    }

    public async Task PowerOnAsync(CancellationToken cancellationToken)
    {
        if (!_poweredOff)
        {
            return;
        }

        try
        {
            await _device.RestartAsync();
            _poweredOff = false;
            await LaneReadiness.WaitAsync(this, cancellationToken);
        }
        finally
        {
            _turns.Release();
        }
    }

    public void SetPaperOut(bool paperOut)
    {
    }

    public async ValueTask DisposeAsync()
    {
        await _scannerModule.DisposeAsync();
        await _device.DisposeAsync();
        await HubLink.DisposeAsync();
    }

    private async Task SubmitLineAsync(string line, CancellationToken cancellationToken)
    {
        await WaitForIdleGateAsync(cancellationToken);
        _device.SubmitScanLine(line);
    }

    /// <summary>A second person follows an admitted tailgating guest through, after the arm has closed.</summary>
    private async Task TailgateIfAdmittedAsync(LaneDecision? decision, PassageBehaviour passage, CancellationToken cancellationToken)
    {
        if (decision is not { Admitted: true } || passage != PassageBehaviour.Tailgate)
        {
            return;
        }

        await WaitForIdleGateAsync(cancellationToken);
        _device.Pins?.SimulatePassage();
    }

    private async Task WaitForIdleGateAsync(CancellationToken cancellationToken)
    {
        // The turnstile ignores scans while its arm is still open, so the guest waits for it.
        for (int attempt = 0; attempt < 300 && _device.App?.GateState is not null and not Firmware.Gate.GateState.Idle; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }

    private void OnDecided(object? sender, FirmwareDecision decision)
    {
        _turns.Decide(new LaneDecision(
            decision.Admitted,
            RejectReasons.ToCode(decision.Reason),
            Mode: "offline",
            decision.PolicyVersion,
            TimeSpan.FromTicks(decision.LatencyMicros * 10)));
    }
}
