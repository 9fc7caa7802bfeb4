using System.Diagnostics;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// The online check of the decision path: a <see cref="HubConnection"/> whose checks stop
/// after repeated failures or slow responses, so scans are decided offline at once instead of
/// each waiting out the check timeout. A lost connection (including a DNS failure or refused
/// connection on reconnect) switches offline at once. While offline and connected, MQTT pings
/// probe the link, and consecutive fast ones switch back online (see <see cref="HubLinkThresholds"/>).
/// </summary>
public sealed partial class HubLinkMonitor : IOnlineCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly HubConnection _hub;
    private readonly HubLinkThresholds _thresholds;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LinkModeTracker _tracker;
    private readonly Lock _gate = new();
    private long _offlineSinceTimestamp;

    public HubLinkMonitor(
        HubConnection hub, HubLinkThresholds thresholds, TimeProvider? time = null, ILogger<HubLinkMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(thresholds);

        _hub = hub;
        _thresholds = thresholds;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _tracker = new LinkModeTracker(thresholds);
        _offlineSinceTimestamp = _time.GetTimestamp();
        hub.Disconnected += (_, _) => OnDisconnected();
    }

    /// <summary>Raised after every mode change with the new mode (true for online).</summary>
    public event EventHandler<bool>? ModeChanged;

    /// <summary>True while the hub is connected and the link history allows online checks.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _hub.IsConnected && _tracker.Online;
            }
        }
    }

    /// <summary>Time since the lane last switched offline or lost the hub; zero while online.</summary>
    public TimeSpan OfflineFor
    {
        get
        {
            if (IsConnected)
            {
                return TimeSpan.Zero;
            }

            TimeSpan sinceSwitch = _time.GetElapsedTime(Interlocked.Read(ref _offlineSinceTimestamp));
            return sinceSwitch > _hub.OfflineFor ? sinceSwitch : _hub.OfflineFor;
        }
    }

    /// <summary>Mode changes since start.</summary>
    public int Transitions
    {
        get
        {
            lock (_gate)
            {
                return _tracker.Transitions;
            }
        }
    }

    public async Task<CheckResponse?> CheckAsync(CheckRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IsConnected)
        {
            return null;
        }

        long started = Stopwatch.GetTimestamp();
        CheckResponse? response = await _hub.CheckAsync(request, timeout, cancellationToken);
        TimeSpan? latency = response is null ? null : Stopwatch.GetElapsedTime(started);
        bool changed;
        lock (_gate)
        {
            changed = _tracker.RecordCheck(latency);
        }

        if (changed)
        {
            OnSwitchedOffline();
        }

        return response;
    }

    public void PublishScanNotice(ScanNotice notice) => _hub.PublishScanNotice(notice);

    /// <summary>Probes the link while it is offline but connected, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_thresholds.ProbeInterval, _time, cancellationToken);
            if (!_hub.IsConnected || IsConnected)
            {
                continue;
            }

            TimeSpan? roundTrip = await _hub.PingAsync(ProbeTimeout, cancellationToken);
            LogProbe(_logger, roundTrip?.TotalMilliseconds);
            bool changed;
            string reason;
            lock (_gate)
            {
                changed = _tracker.RecordProbe(roundTrip);
                reason = _tracker.Reason;
            }

            if (changed)
            {
                LogOnline(_logger, reason);
                ModeChanged?.Invoke(this, true);
            }
        }
    }

    private void OnDisconnected()
    {
        bool changed;
        lock (_gate)
        {
            changed = _tracker.RecordDisconnect();
        }

        if (changed)
        {
            OnSwitchedOffline();
        }
    }

    private void OnSwitchedOffline()
    {
        Interlocked.Exchange(ref _offlineSinceTimestamp, _time.GetTimestamp());
        string reason;
        lock (_gate)
        {
            reason = _tracker.Reason;
        }

        LogOffline(_logger, reason);
        ModeChanged?.Invoke(this, false);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Hub link offline because {Reason}; the offline policy decides until probes succeed")]
    private static partial void LogOffline(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub link online again: {Reason}")]
    private static partial void LogOnline(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub link probe round trip {RoundTripMs} ms (null: failed)")]
    private static partial void LogProbe(ILogger logger, double? roundTripMs);
}
