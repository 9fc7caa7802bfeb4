using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Scenarios;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// An ESP32 lane whose controller runs as its own OS process: the virtual ESP32 program with
/// its flash files in the lane's folder, behind the same serial scanner module as
/// <see cref="FirmwareLane"/>. The scanner sends lines to the device's TCP scan port, and
/// everything the lane reports (decisions, sequence, outbox, readiness, hub link) comes back
/// on that connection from the device itself. A power cut is a SIGKILL of the process.
/// </summary>
public sealed partial class ProcessFirmwareLane : IProcessLane
{
    // A turnstile ignores scans while its arm is open; the scanner repeats the line until the
    // gate takes it, as a guest holds the code up again. 600 tries at least 10 ms apart cover
    // the arm's 5 s passage timeout.
    private static readonly TimeSpan BusyRetryDelay = TimeSpan.FromMilliseconds(10);
    private const int BusyRetries = 600;

    private readonly LaneStartup _startup;
    private readonly SerialScannerModule _scannerModule;
    private readonly GuestTurns _turns = new();
    private readonly ILogger _logger;
    private DeviceProcess? _process;
    private ScanConnection? _scanner;
    private ScanFeedbackLine? _status;
    private long _lastSequence;
    private int _annulledBeforeRestart;
    private int _tailgatesBeforeRestart;
    private bool _connected;

    private ProcessFirmwareLane(LaneStartup startup, ScenarioOptions scenario, ILoggerFactory loggers)
    {
        _startup = startup;
        _logger = loggers.CreateLogger<ProcessFirmwareLane>();
        Clock = new SimulatedClock(startup.VenueClock);
        _scannerModule = new SerialScannerModule(
            $"{startup.Spec.Id}-scanner", scenario.BlurShare, LaneSeeds.For(scenario.Seed, startup.Spec.Id), SubmitLineAsync,
            () => _turns.Decide(null), loggers);
    }

    public string DeviceId => Spec.Id;

    public string DeviceClass => "firmware";

    public LaneSpec Spec => _startup.Spec;

    public FaultProxy HubLink => _startup.HubLink;

    public FaultProxy? PrinterLink => null;

    /// <summary>
    /// The venue clock as the device started with it. The process reads its own system clock,
    /// so the scenario validator rejects clock faults on this lane.
    /// </summary>
    public SimulatedClock Clock { get; }

    public bool HasTill => false;

    public bool HasNfcReader => false;

    public long LastSequence => Interlocked.Read(ref _lastSequence);

    public int OutboxDepth => _status?.QueueDepth ?? 0;

    public int ReceiptsPrinted => 0;

    public bool IsReady => _status?.Ready == true;

    public bool IsConnected => _status?.HubConnected == true;

    /// <summary>
    /// Raised when a status line shows the hub link changed, so up to one status interval
    /// (50 ms) after the change, and with false at once at a power cut.
    /// </summary>
    public event EventHandler<bool>? HubConnectionChanged;

    public int Annulled => _annulledBeforeRestart + (_status?.Annulled ?? 0);

    public int Tailgates => _tailgatesBeforeRestart + (_status?.Tailgates ?? 0);

    /// <summary>Process id of the running device, or null while its power is cut.</summary>
    public int? ProcessId => _process?.Id;

    public static async Task<ProcessFirmwareLane> StartAsync(
        LaneSpec spec,
        HubNode hub,
        string dataDirectory,
        ScenarioOptions scenario,
        SimulatedClock venueClock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(scenario);

        LaneStartup startup = await LaneStartup.EnrollAsync(spec, hub, dataDirectory, venueClock, loggers, cancellationToken);
        var lane = new ProcessFirmwareLane(startup, scenario, loggers);
        try
        {
            await lane.StartProcessAsync(cancellationToken);
        }
        catch
        {
            await lane.DisposeAsync();
            throw;
        }

        return lane;
    }

    public async Task<LaneDecision?> PresentAsync(byte[] qrPng, ScanHabits habits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(habits);

        return await _turns.PresentAsync(
            async () => await _scannerModule.PresentAsync(qrPng, habits),
            _ => _scannerModule.LinesSentAsync(cancellationToken),
            cancellationToken);
    }

    public Task<LaneDecision?> PresentTagAsync(string tokenText, ScanHabits habits, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{DeviceId} has no NFC reader in the simulator.");

    public Task<LaneSale> SellAsync(
        string tokenText, long amountMinor, string description, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{DeviceId} is a turnstile controller without a till.");

    /// <summary>
    /// Kills the device process with SIGKILL between two guests and waits for it to exit. The
    /// flash files keep what the device had written, and nothing else of it survives.
    /// </summary>
    public Task PowerLossAsync() => _turns.CutPowerAsync(async () =>
    {
        if (_process is not { } process)
        {
            return false;
        }

        int processId = process.Id;
        _annulledBeforeRestart += _status?.Annulled ?? 0;
        _tailgatesBeforeRestart += _status?.Tailgates ?? 0;
        await process.KillAsync();
        await process.DisposeAsync();
        _process = null;
        await StopScannerAsync();
        _status = null;
        SetConnected(false);
        LogPowerLoss(_logger, DeviceId, processId);
        return true;
    });

    /// <summary>Starts a new device process on the same flash files and waits until it is ready.</summary>
    public async Task PowerOnAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            return;
        }

        await _turns.RestorePowerAsync(async () =>
        {
            await StartProcessAsync(cancellationToken);
            await LaneReadiness.WaitAsync(this, cancellationToken);
        });
    }

    public void SetPaperOut(bool paperOut)
    {
    }

    public async ValueTask DisposeAsync()
    {
        await _scannerModule.DisposeAsync();
        await StopScannerAsync();
        if (_process is { } process)
        {
            await process.DisposeAsync();
            _process = null;
        }

        await HubLink.DisposeAsync();
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        DeviceProcess process = _startup.StartProcess(_logger);
        _process = process;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LaneReadiness.Timeout);
        try
        {
            _scanner = await ScanConnection.ConnectAsync(
                _startup.ScanPort, OnStatus, () => process.HasExited, timeout.Token);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"The device process of {DeviceId} (pid {process.Id}, exit code {process.ExitCode?.ToString() ?? "none"}) "
                + $"did not open its scan port {_startup.ScanPort}; its output is in {_startup.LogFile}.", ex);
        }

        LogProcessStarted(_logger, DeviceId, process.Id, _startup.ScanPort);
    }

    private async Task StopScannerAsync()
    {
        if (_scanner is { } scanner)
        {
            _scanner = null;
            await scanner.DisposeAsync();
        }
    }

    private void OnStatus(ScanFeedbackLine status)
    {
        _status = status;
        if (status.LastSeq is { } lastSeq)
        {
            AdvanceSequence(lastSeq);
        }

        SetConnected(status.HubConnected == true);
    }

    private void SetConnected(bool connected)
    {
        if (_connected != connected)
        {
            _connected = connected;
            HubConnectionChanged?.Invoke(this, connected);
        }
    }

    private void AdvanceSequence(long seq)
    {
        long seen = Interlocked.Read(ref _lastSequence);
        while (seq > seen)
        {
            long previous = Interlocked.CompareExchange(ref _lastSequence, seq, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>Sends one scanner line, repeating it while the gate is busy, and records the decision.</summary>
    private async Task SubmitLineAsync(string line, CancellationToken cancellationToken)
    {
        ScanConnection scanner = _scanner ?? throw new IOException($"{DeviceId} is powered off.");
        for (int attempt = 0; attempt < BusyRetries; attempt++)
        {
            ScanFeedbackLine feedback = await scanner.SendAsync(line, cancellationToken);
            if (feedback.Type == ScanFeedbackLine.DecisionType)
            {
                OnDecided(feedback);
                return;
            }

            await Task.Delay(BusyRetryDelay, cancellationToken);
        }

        LogGateStayedBusy(_logger, DeviceId);
    }

    private void OnDecided(ScanFeedbackLine decision)
    {
        if (decision.Seq is > 0 and var seq)
        {
            AdvanceSequence(seq);
        }

        _turns.Decide(new LaneDecision(
            decision.Admitted == true,
            decision.Reason ?? "unknown",
            Mode: "offline",
            decision.PolicyVersion,
            TimeSpan.FromTicks((decision.LatencyMicros ?? 0) * 10)));
    }

    [LoggerMessage(EventId = 7311, Level = LogLevel.Information, Message = "Lane {DeviceId} runs as pid {ProcessId}, scan port {ScanPort}")]
    private static partial void LogProcessStarted(ILogger logger, string deviceId, int processId, int scanPort);

    [LoggerMessage(EventId = 7312, Level = LogLevel.Warning, Message = "Lane {DeviceId} lost power: pid {ProcessId} killed with SIGKILL")]
    private static partial void LogPowerLoss(ILogger logger, string deviceId, int processId);

    [LoggerMessage(EventId = 7313, Level = LogLevel.Warning, Message = "Lane {DeviceId} ignored a scan line for 6 s because its gate stayed busy")]
    private static partial void LogGateStayedBusy(ILogger logger, string deviceId);
}
