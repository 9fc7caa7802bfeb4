using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// An ESP32 lane: the firmware core on a virtual ESP32 with a flash file, behind a serial QR
/// scanner module whose camera decodes the guest's image and sends the text as a line.
/// </summary>
public sealed class FirmwareLane : IGateLane
{
    private static readonly TimeSpan DecisionTimeout = TimeSpan.FromSeconds(5);

    private readonly VirtualEsp32 _device;
    private readonly SimulatedCamera _scannerModule;
    private readonly SemaphoreSlim _oneGuestAtATime = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _scannerLoop;
    private TaskCompletionSource<LaneDecision?>? _pending;

    private FirmwareLane(VirtualEsp32 device, SimulatedCamera scannerModule, FaultProxy hubLink)
    {
        _device = device;
        _scannerModule = scannerModule;
        HubLink = hubLink;
        device.Decided += OnDecided;
        scannerModule.Unreadable += (_, _) => _pending?.TrySetResult(null);
        _scannerLoop = Task.Run(ForwardScanLinesAsync);
    }

    public string DeviceId => _device.DeviceId;

    public string DeviceClass => "firmware";

    public FaultProxy HubLink { get; }

    public bool HasTill => false;

    public long LastSequence => _device.EventsProduced;

    public int OutboxDepth => _device.QueueDepth;

    public int ReceiptsPrinted => 0;

    public bool IsReady =>
        _device.App is { } app && app.KeyListVersion > 0 && app.SnapshotVersion > 0 && app.PolicyVersion != null
        && app.ClockSynchronized;

    public static async Task<FirmwareLane> StartAsync(
        string deviceId,
        HubNode hub,
        string dataDirectory,
        double blurShare,
        int seed,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        Enrollment enrollment = await hub.Client.EnrollAsync(deviceId, "firmware", zone: 0, cancellationToken);
        var hubLink = new FaultProxy($"{deviceId}-hub", hub.MqttEndpoint, loggers.CreateLogger<FaultProxy>());
        var options = new VirtualEsp32Options
        {
            DeviceId = deviceId,
            Venue = hub.Venue,
            EventId = hub.EventId,
            MqttHost = "127.0.0.1",
            MqttPort = hubLink.Port,
            Username = enrollment.MqttUsername,
            Password = enrollment.MqttPassword,
            RootPublicKey = hub.RootPublicKey,
            FlashFile = Path.Combine(dataDirectory, deviceId + ".flash"),

            // 1 MiB of queue flash, a common partition size on 4 MiB ESP32 modules.
            FlashSectorCount = 256,

            // The crowd runs on compressed time, guests a few tens of milliseconds apart, so the
            // relay pulse is shortened from the 300 ms a real turnstile needs.
            PulseMilliseconds = 50,
        };
        VirtualEsp32 device = await VirtualEsp32.StartAsync(options, loggers, cancellationToken);
        var scannerModule = new SimulatedCamera(
            new SimulatedCameraOptions { Name = $"{deviceId}-scanner", BlurShare = blurShare, Seed = seed },
            loggers.CreateLogger<SimulatedCamera>());
        return new FirmwareLane(device, scannerModule, hubLink);
    }

    public async Task<LaneDecision?> PresentAsync(byte[] qrPng, CancellationToken cancellationToken)
    {
        await _oneGuestAtATime.WaitAsync(cancellationToken);
        try
        {
            var pending = new TaskCompletionSource<LaneDecision?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending = pending;
            await _scannerModule.PresentAsync(qrPng);
            return await pending.Task.WaitAsync(DecisionTimeout, cancellationToken);
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

    public Task<LaneSale> SellAsync(
        string tokenText, long amountMinor, string description, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{DeviceId} is a turnstile controller without a till.");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _scannerLoop;
        }
        catch (OperationCanceledException)
        {
        }

        await _scannerModule.DisposeAsync();
        await _device.DisposeAsync();
        await HubLink.DisposeAsync();
        _stopping.Dispose();
        _oneGuestAtATime.Dispose();
    }

    private async Task ForwardScanLinesAsync()
    {
        // The scanner module sends each decoded code as a line over its serial port. The
        // turnstile ignores scans while its arm is still open, so the guest waits for it.
        await foreach (ScanRead read in _scannerModule.ReadAllAsync(_stopping.Token))
        {
            await WaitForIdleGateAsync(_stopping.Token);
            _device.SubmitScanLine(read.Text);
        }
    }

    private async Task WaitForIdleGateAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 300 && _device.App?.GateState is not null and not Firmware.Gate.GateState.Idle; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }

    private void OnDecided(object? sender, FirmwareDecision decision)
    {
        _pending?.TrySetResult(new LaneDecision(
            decision.Admitted,
            RejectReasons.ToCode(decision.Reason),
            Mode: "offline",
            decision.PolicyVersion,
            TimeSpan.FromTicks(decision.LatencyMicros * 10)));
    }
}
