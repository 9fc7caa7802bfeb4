using EdgeIoT.Firmware.App;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.VirtualDevice;

/// <summary>
/// One simulated ESP32 turnstile controller: the firmware's <see cref="TurnstileApp"/> with a
/// flash file, simulated gate pins, MQTTnet and NSec. It can lose power and restart, which
/// re-mounts the queue from the flash file as a real controller would after a reset.
/// </summary>
public sealed partial class VirtualEsp32 : IAsyncDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(10);

    private readonly VirtualEsp32Options _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Lock _sync = new();
    private Instance? _running;
    private long _producedBeforeRestart;
    private int _annulledBeforeRestart;
    private int _tailgatesBeforeRestart;

    private VirtualEsp32(VirtualEsp32Options options, ILoggerFactory loggers)
    {
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<VirtualEsp32>();
    }

    /// <summary>Raised after every decided scan, on the thread that submitted it.</summary>
    public event EventHandler<FirmwareDecision>? Decided;

    /// <summary>Raised with the topic after a hub message (keys, snapshot, policy, time) was applied.</summary>
    public event EventHandler<string>? HubMessageApplied;

    /// <summary>
    /// Raised when the MQTT connection to the hub opens (true) or closes (false), and with false
    /// at a power loss, as it happens and on the thread that saw it.
    /// </summary>
    public event EventHandler<bool>? HubConnectionChanged;

    public string DeviceId => _options.DeviceId;

    /// <summary>Events stored in flash and not yet acknowledged by the hub; 0 while powered off.</summary>
    public int QueueDepth => _running?.App.QueueDepth ?? 0;

    /// <summary>Events stored since this object was created, across restarts.</summary>
    public long EventsProduced => _producedBeforeRestart + (_running?.App.EventsProduced ?? 0);

    /// <summary>Admits annulled (nobody passed) since this object was created, across restarts.</summary>
    public int Annulled => _annulledBeforeRestart + (_running?.App.AnnulledCount ?? 0);

    /// <summary>Passages with no open admit since this object was created, across restarts.</summary>
    public int Tailgates => _tailgatesBeforeRestart + (_running?.App.TailgateCount ?? 0);

    public bool IsConnected => _running?.Transport.IsConnected ?? false;

    /// <summary>The gate pins, to fire the passage sensor by hand when auto passage is off.</summary>
    public SimulatedGatePins? Pins => _running?.Pins;

    /// <summary>The running firmware, for status checks; null while powered off.</summary>
    public TurnstileApp? App => _running?.App;

    public static async Task<VirtualEsp32> StartAsync(
        VirtualEsp32Options options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        if (options.RootPublicKey.Length != 32)
        {
            throw new ArgumentException(
                $"RootPublicKey must be 32 bytes (raw Ed25519), got {options.RootPublicKey.Length}.", nameof(options));
        }

        var device = new VirtualEsp32(options, loggers);
        await device.PowerOnAsync(ResetReasons.PowerOn, cancellationToken);
        return device;
    }

    /// <summary>Feeds one scanner line, as the serial scanner would; ignored while powered off.</summary>
    public void SubmitScanLine(string line) => DecideScanLine(line);

    /// <summary>
    /// Feeds one scanner line and returns the decision, or null when the gate was busy with the
    /// previous guest or the device is powered off, so the scan was ignored.
    /// </summary>
    public FirmwareDecision? DecideScanLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);

        return Submit(running => running.App.OnScanLine(line, running.Clock.UnixMilliseconds, running.Clock.MonotonicTicks));
    }

    /// <summary>
    /// Feeds one NFC tag tap, as the board's NFC reader driver would after reading an NTAG's
    /// data area; ignored while powered off.
    /// </summary>
    /// <param name="chipUid">UID of the tag from anticollision.</param>
    /// <param name="tagData">The tag's data area from page 4 on, starting with its NDEF TLV.</param>
    public void SubmitTag(byte[] chipUid, byte[] tagData)
    {
        ArgumentNullException.ThrowIfNull(chipUid);
        ArgumentNullException.ThrowIfNull(tagData);

        _ = Submit(running => running.App.OnTagRead(tagData, chipUid, running.Clock.UnixMilliseconds, running.Clock.MonotonicTicks));
    }

    private FirmwareDecision? Submit(Func<Instance, FirmwareDecision?> decide)
    {
        Instance? running = _running;
        if (running is null)
        {
            LogScanWhilePoweredOff(_logger, _options.DeviceId);
            return null;
        }

        FirmwareDecision? decision = decide(running);
        if (decision is null)
        {
            LogGateBusy(_logger, _options.DeviceId);
            return null;
        }

        LogDecision(
            _logger, _options.DeviceId, decision.Admitted ? "admit" : "deny", decision.Reason.ToString(),
            decision.PolicyRule, decision.TokenId, decision.Seq);
        Decided?.Invoke(this, decision);
        return decision;
    }

    /// <summary>Cuts power: no clean MQTT disconnect, no flush, nothing in memory survives.</summary>
    public async Task PowerLossAsync()
    {
        Instance? running;
        lock (_sync)
        {
            running = _running;
            _running = null;
        }

        if (running is null)
        {
            return;
        }

        _producedBeforeRestart += running.App.EventsProduced;
        _annulledBeforeRestart += running.App.AnnulledCount;
        _tailgatesBeforeRestart += running.App.TailgateCount;
        HubConnectionChanged?.Invoke(this, false);
        await running.StopAsync(abrupt: true);
        LogPowerLoss(_logger, _options.DeviceId);
    }

    /// <summary>
    /// Powers the device on again (after a power loss, or as a reset): the queue and the
    /// seen-set are re-mounted from flash, and the status reports <paramref name="resetReason"/>
    /// (one of <see cref="ResetReasons"/>) with a new boot id.
    /// </summary>
    public async Task RestartAsync(string resetReason = ResetReasons.PowerOn)
    {
        await PowerLossAsync();
        await PowerOnAsync(resetReason, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Instance? running;
        lock (_sync)
        {
            running = _running;
            _running = null;
        }

        if (running is not null)
        {
            await running.StopAsync(abrupt: false);
        }
    }

    private Task PowerOnAsync(string resetReason, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        var instance = Instance.Create(
            _options,
            _loggers,
            _logger,
            resetReason,
            topic => HubMessageApplied?.Invoke(this, topic),
            connected => HubConnectionChanged?.Invoke(this, connected));
        lock (_sync)
        {
            _running = instance;
        }

        LogPoweredOn(_logger, _options.DeviceId, instance.App.QueueDepth);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Device {DeviceId} decided {Outcome} ({Reason}) by rule {Rule} for token {TokenId}, event seq {Seq}")]
    private static partial void LogDecision(
        ILogger logger, string deviceId, string outcome, string reason, string? rule, string? tokenId, long seq);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Device {DeviceId} ignored a scan while the gate was busy")]
    private static partial void LogGateBusy(ILogger logger, string deviceId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Device {DeviceId} lost power")]
    private static partial void LogPowerLoss(ILogger logger, string deviceId);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Device {DeviceId} powered on with {QueueDepth} queued events")]
    private static partial void LogPoweredOn(ILogger logger, string deviceId, int queueDepth);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Device {DeviceId} is powered off; the scan is lost")]
    private static partial void LogScanWhilePoweredOff(ILogger logger, string deviceId);
}
