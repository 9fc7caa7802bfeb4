using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// A Raspberry Pi lane whose edge agent runs as its own OS process: the real agent program
/// with its data folder (SQLite outbox) in the lane's folder, its simulated GPIO gate in its
/// own process, and its real scanner and printer drivers pointed at
/// <see cref="AgentProcessPeripherals"/>. The lane learns each decision from the agent's JSON
/// console log and its sequence, outbox, readiness and hub link from its loopback metrics
/// endpoint, the channels an operator reads too. A power cut is a SIGKILL of the process.
/// </summary>
/// <remarks>
/// The lane has no till (<see cref="HasTill"/> is false): the agent's only other sales channel,
/// its purchase inbox folder, is a test-bench input and not an operator's till. The agent runs
/// with Hardware:SimulatedPassage, so a simulated guest crosses its gate after every opening.
/// The simulator cannot steer that guest, so the scenario validator rejects tailgates and
/// turn-backs for the lane.
/// </remarks>
public sealed partial class ProcessAgentLane : IProcessLane
{
    // The agent's simulated guest crosses this long after an opening when the previous guest
    // crossed at least one passage debounce earlier (SimulatedPassage).
    private static readonly TimeSpan CrossingTime =
        AgentProcessArguments.PassageDebounce + SimulatedPassage.WalkUp + SimulatedPassage.BeamBroken;

    private readonly LaneSpec _spec;
    private readonly FaultProxy _hubLink;
    private readonly IReadOnlyList<string> _arguments;
    private readonly string _logFile;
    private readonly AgentProcessPeripherals _peripherals;
    private readonly GuestTurns _turns = new();
    private readonly ILogger _logger;
    private DeviceProcess? _process;
    private AgentMetricsPoller? _metrics;
    private AgentMetricsSample? _sample;
    private long _lastSequence;
    private int _annulled;
    private bool _connected;

    private ProcessAgentLane(
        LaneSpec spec, FaultProxy hubLink, IReadOnlyList<string> arguments, string logFile, AgentProcessPeripherals peripherals,
        SimulatedClock venueClock, int metricsPort, ILogger logger)
    {
        _spec = spec;
        _hubLink = hubLink;
        _arguments = arguments;
        _logFile = logFile;
        _peripherals = peripherals;
        MetricsPort = metricsPort;
        Clock = new SimulatedClock(venueClock);
        _logger = logger;
    }

    public string DeviceId => _spec.Id;

    public string DeviceClass => "agent";

    public LaneSpec Spec => _spec;

    public FaultProxy HubLink => _hubLink;

    public FaultProxy? PrinterLink => _peripherals.PrinterLink;

    /// <summary>
    /// The venue clock as the agent started with it. The process reads its own system clock,
    /// so the scenario validator rejects clock faults on this lane.
    /// </summary>
    public SimulatedClock Clock { get; }

    public bool HasTill => false;

    public bool HasNfcReader => false;

    public long LastSequence => Interlocked.Read(ref _lastSequence);

    public int OutboxDepth => _sample?.OutboxDepth ?? 0;

    /// <summary>Always 0, because the lane has no till and so nothing to print receipts for.</summary>
    public int ReceiptsPrinted => 0;

    public bool IsReady => _sample?.Ready == true;

    public bool IsConnected => _sample?.HubConnected == true;

    /// <summary>
    /// Raised when a scrape shows the hub link changed, so up to one scrape interval (50 ms)
    /// after the change, and with false at once at a power cut.
    /// </summary>
    public event EventHandler<bool>? HubConnectionChanged;

    public int Annulled => Volatile.Read(ref _annulled);

    /// <summary>Always 0: the agent's simulated guest crosses once per opening, never behind another.</summary>
    public int Tailgates => 0;

    public int? ProcessId => _process?.Id;

    /// <summary>The loopback port of the agent's metrics endpoint, kept across restarts.</summary>
    public int MetricsPort { get; }

    public static async Task<ProcessAgentLane> StartAsync(
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
        ArgumentNullException.ThrowIfNull(loggers);

        Directory.CreateDirectory(dataDirectory);
        Enrollment enrollment = await hub.Client.EnrollAsync(spec.Id, "agent", spec.Zone, cancellationToken);
        var hubLink = new FaultProxy($"{spec.Id}-hub", hub.MqttEndpoint, loggers.CreateLogger<FaultProxy>());
        ProcessAgentLane? lane = null;
        var peripherals = AgentProcessPeripherals.Create(
            spec, dataDirectory, scenario, () => lane?._turns.Decide(null), loggers);
        // NOTE: the port is free when chosen, but another process can take it before the agent
        // binds it. The lane then never shows ready, and the start fails naming the lane.
        int metricsPort = Esp32ProcessArguments.FreeLoopbackPort();
        IReadOnlyList<string> arguments = AgentProcessArguments.For(
            enrollment, hub, spec, hubLink.Port, dataDirectory, peripherals.Settings(spec.Scanner, metricsPort),
            scenario.OnlineCheckTimeout);
        lane = new ProcessAgentLane(
            spec, hubLink, arguments, Path.Combine(dataDirectory, "agent.log"), peripherals, venueClock, metricsPort,
            loggers.CreateLogger<ProcessAgentLane>());
        try
        {
            lane.StartProcess();
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
            () => _peripherals.PresentAsync(qrPng, habits, cancellationToken),
            async decision =>
            {
                await _peripherals.LinesSentAsync(cancellationToken);
                if (decision?.Admitted == true)
                {
                    // The next guest steps up after the agent's simulated guest has crossed, because
                    // the agent annuls an admit still waiting for its passage when the gate opens again.
                    await Task.Delay(CrossingTime, cancellationToken);
                }
            },
            cancellationToken);
    }

    public Task<LaneDecision?> PresentTagAsync(string tokenText, ScanHabits habits, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{DeviceId} runs its agent in its own process, which has no NFC reader in the simulator.");

    public Task<LaneSale> SellAsync(
        string tokenText, long amountMinor, string description, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{DeviceId} runs its agent in its own process and has no till in the simulator.");

    /// <summary>
    /// Kills the agent process with SIGKILL between two guests and waits for it to exit. The
    /// SQLite outbox keeps what the agent had committed, and nothing else of it survives.
    /// </summary>
    public Task PowerLossAsync() => _turns.CutPowerAsync(async () =>
    {
        if (_process is not { } process)
        {
            return false;
        }

        int processId = process.Id;
        await StopMetricsAsync();
        await process.KillAsync();
        await process.DisposeAsync();
        _process = null;
        _sample = null;
        await _peripherals.DisconnectScannerAsync();
        SetConnected(false);
        LogPowerLoss(_logger, DeviceId, processId);
        return true;
    });

    /// <summary>Starts a new agent process on the same data folder and waits until it is ready.</summary>
    public async Task PowerOnAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            return;
        }

        await _turns.RestorePowerAsync(async () =>
        {
            StartProcess();
            await LaneReadiness.WaitAsync(this, cancellationToken);
        });
    }

    public void SetPaperOut(bool paperOut) => _peripherals.PaperOut = paperOut;

    public async ValueTask DisposeAsync()
    {
        await StopMetricsAsync();
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }

        await _peripherals.DisposeAsync();
        await HubLink.DisposeAsync();
    }

    private void StartProcess()
    {
        var options = new DeviceProcessOptions
        {
            Supervised = false,
            Environment = AgentProcessArguments.Environment(),
            OnOutputLine = OnLogLine,
        };
        DeviceProcess process = DeviceProcess.Start(AgentProcessArguments.Program, _arguments, _logFile, _logger, options);
        _process = process;
        _metrics = new AgentMetricsPoller(MetricsPort, OnSample, _logger);
        LogProcessStarted(_logger, DeviceId, process.Id, MetricsPort);
    }

    private async Task StopMetricsAsync()
    {
        if (_metrics is { } metrics)
        {
            _metrics = null;
            await metrics.DisposeAsync();
        }
    }

    private void OnSample(AgentMetricsSample sample)
    {
        _sample = sample;
        AdvanceSequence(sample.LastSeq);
        SetConnected(sample.HubConnected);
    }

    private void OnLogLine(string line)
    {
        if (AgentLogLine.TryParse(line) is not { } entry)
        {
            return;
        }

        if (entry.IsAnnulled)
        {
            Interlocked.Increment(ref _annulled);
        }
        else if (entry.IsUnreadableFrame)
        {
            _turns.Decide(null);
        }
        else if (entry.Decision is { } decision)
        {
            AdvanceSequence(entry.Seq ?? 0);
            _turns.Decide(decision);
        }
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

    [LoggerMessage(EventId = 7316, Level = LogLevel.Information,
        Message = "Lane {DeviceId} runs its agent as pid {ProcessId}, metrics on port {MetricsPort}")]
    private static partial void LogProcessStarted(ILogger logger, string deviceId, int processId, int metricsPort);

    [LoggerMessage(EventId = 7317, Level = LogLevel.Warning, Message = "Lane {DeviceId} lost power: agent pid {ProcessId} killed with SIGKILL")]
    private static partial void LogPowerLoss(ILogger logger, string deviceId, int processId);
}
