using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Protocol.Tokens;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EdgeAgent.Decisions;

/// <summary>
/// The decision path of one lane, per scan: debounce, QR decode, token verification, the
/// hub's online check (or the offline policy when the hub is away or slow), the gate command,
/// then the outbox. Scans are decided one at a time, so two readers cannot admit the same
/// token twice. It needs no host, so benchmarks construct it directly.
/// </summary>
public sealed partial class DecisionPipeline : IDisposable
{
    public const string NoPolicyRule = "no-policy-loaded";

    private readonly DecisionPipelineSettings _settings;
    private readonly HubState _state;
    private readonly HubClock _clock;
    private readonly IOnlineCheck _hub;
    private readonly EventOutbox _outbox;
    private readonly IGate _gate;
    private readonly ILogger _logger;
    private readonly SeenSet _seen;
    private readonly Debouncer _debouncer;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly PolicyInput _policyInput = new();
    private uint _offlineAdmits;

    public DecisionPipeline(
        DecisionPipelineSettings settings,
        HubState state,
        HubClock clock,
        IOnlineCheck hub,
        EventOutbox outbox,
        IGate gate,
        ILogger<DecisionPipeline>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(gate);

        _settings = settings;
        _state = state;
        _clock = clock;
        _hub = hub;
        _outbox = outbox;
        _gate = gate;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _seen = new SeenSet(settings.SeenCapacity);
        _debouncer = new Debouncer(settings.DebounceWindow);
    }

    /// <summary>Raised after every decision, on the thread that made it.</summary>
    public event EventHandler<AgentDecision>? Decided;

    /// <summary>Admits granted by the offline policy since the hub was last reachable.</summary>
    public uint OfflineAdmits => Volatile.Read(ref _offlineAdmits);

    /// <summary>
    /// Decides one scan and opens the gate on an admit. Returns null when the read repeats the
    /// previous read of the same reader inside the debounce window.
    /// </summary>
    public async Task<AgentDecision?> DecideAsync(ScanRead scan, CancellationToken cancellationToken)
    {
        if (_debouncer.IsRepeat(scan))
        {
            LogDebounced(_logger, scan.Source);
            return null;
        }

        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            AgentDecision decision = await DecideOneAsync(scan, cancellationToken);
            Decided?.Invoke(this, decision);
            return decision;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private async Task<AgentDecision> DecideOneAsync(ScanRead scan, CancellationToken cancellationToken)
    {
        RejectReason decodeResult = QrText.TryDecode(scan.Text, out byte[]? token);
        if (decodeResult != RejectReason.None)
        {
            return Deny(scan, decodeResult, claims: null, record: null);
        }

        uint now = _clock.NowUnixSeconds;
        VerifyResult verified = _state.Verifier.Verify(
            token, scan.ChipUid, now, _clock.IsReliable, _settings.Zone, _state.Snapshot, _seen);
        EntitlementRecord? record = verified.Claims is null ? null : _state.Snapshot?.Find(verified.Claims.EntitlementId);
        if (!verified.IsValid || verified.Claims is not { } claims)
        {
            RequestResyncIfMissing(verified);
            return Deny(scan, HeldStepReason(verified.Reason), verified.Claims, record);
        }

        // An offline lane sends no check, so the nonce its event records is drawn after the verdict is acted on.
        string? nonce = _hub.IsConnected ? NewNonce() : null;
        CheckResponse? online = nonce is null ? null : await TryOnlineCheckAsync(scan, nonce, cancellationToken);
        if (online is not null && _clock.StepHeld && IsTimeReason(online.Reason))
        {
            // The hub judged the token by its stepped clock, but by this gate's time it is valid.
            online = null;
        }
        Verdict verdict = online is null
            ? DecideOffline(claims, record)
            : DecideOnline(online);

        return verdict.Admitted
            ? Admit(scan, claims, record, nonce, verdict, now)
            : Finish(scan, claims, record, nonce ?? NewNonce(), verdict, Stopwatch.GetElapsedTime(scan.TimestampTicks));
    }

    private void RequestResyncIfMissing(VerifyResult verified)
    {
        if (!KeyResyncThrottle.IsResyncReason(verified.Reason))
        {
            return;
        }

        _hub.RequestKeyResync(new KeyResyncRequest
        {
            DeviceId = _settings.DeviceId,
            Reason = RejectReasons.ToCode(verified.Reason),
            KeyListVersion = _state.Verifier.Keys?.Version ?? 0,
            Kid = verified.Claims is null ? null : EdgeIoT.Protocol.Crypto.KeyIds.ToHex(verified.Claims.KeyId),
        });
    }

    private async Task<CheckResponse?> TryOnlineCheckAsync(ScanRead scan, string nonce, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _offlineAdmits, 0);
        var request = new CheckRequest
        {
            DeviceId = _settings.DeviceId,
            Nonce = nonce,
            Token = scan.Text,
            Zone = _settings.Zone,
            ChipUid = scan.ChipUid is null ? null : ChipUids.ToHex(scan.ChipUid),
        };
        return await _hub.CheckAsync(request, _settings.OnlineCheckTimeout, cancellationToken);
    }

    /// <summary>
    /// Turns a time verdict into <c>clock_unreliable</c> while a hub clock step is held, because
    /// the hub issued the token by a clock this gate does not share.
    /// </summary>
    private RejectReason HeldStepReason(RejectReason reason) =>
        _clock.StepHeld && reason is RejectReason.Expired or RejectReason.NotYetValid
            ? RejectReason.ClockUnreliable
            : reason;

    private static bool IsTimeReason(string? code) =>
        code is "expired" or "not_yet_valid";

    private static Verdict DecideOnline(CheckResponse response)
    {
        bool admitted = string.Equals(response.Outcome, "admit", StringComparison.Ordinal);
        RejectReason reason = admitted ? RejectReason.None : PolicyCodes.ParseReason(response.Reason);
        if (!admitted && reason == RejectReason.None)
        {
            // The hub sent a reason code this agent does not know; it is still a deny.
            reason = RejectReason.PolicyDenied;
        }

        // During a ledger outage the hub decides by the offline policy and names the rule.
        return new Verdict(
            admitted, reason, DecisionModes.Online, response.PolicyVersion, response.PolicyRule, response.PolicyInputs);
    }

    private Verdict DecideOffline(TokenClaims claims, EntitlementRecord? record)
    {
        OfflinePolicy? policy = _state.Policy;
        if (policy is null)
        {
            return new Verdict(false, RejectReason.PolicyDenied, DecisionModes.Offline, null, NoPolicyRule);
        }

        PolicyInput input = _policyInput;
        input.Role = claims.Role;
        input.EntitlementKnown = record is not null;
        input.Tier = record?.Tier ?? default;
        input.Payment = record?.Payment ?? default;
        input.OfflineSeconds = (uint)Math.Min(uint.MaxValue, _hub.OfflineFor.TotalSeconds);
        input.DeviceOfflineAdmits = OfflineAdmits;
        input.SpendUsedMinor = 0;
        input.SpendRequestedMinor = 0;
        input.SpendAllowanceMinor = claims.SpendAllowanceMinor;
        input.DeviceOfflineSpendMinor = 0;

        PolicyDecision decision = policy.Evaluate(input);
        return new Verdict(
            decision.IsGrant, decision.IsGrant ? RejectReason.None : decision.Reason,
            DecisionModes.Offline, policy.VersionLabel, decision.RuleName, LocalInputs: input);
    }

    /// <summary>
    /// Commands the gate first, then records the admit: the seen-set entry and the outbox
    /// commit follow the relay command, and both finish before the next scan is decided.
    /// See docs/edge-agent.md, "What is durable when the gate opens".
    /// </summary>
    private AgentDecision Admit(
        ScanRead scan, TokenClaims claims, EntitlementRecord? record, string? nonce, Verdict verdict, uint now)
    {
        // NOTE: a crash between this relay command and the outbox commit in Finish leaves an
        // admit with no stored event, because the commit's disk flush is kept out of the gate's path.
        _gate.Open();
        TimeSpan latency = Stopwatch.GetElapsedTime(scan.TimestampTicks);

        _state.Verifier.RecordAdmit(claims, now, _seen);
        if (verdict.Mode == DecisionModes.Offline)
        {
            Interlocked.Increment(ref _offlineAdmits);
        }

        AgentDecision decision = Finish(scan, claims, record, nonce ?? NewNonce(), verdict, latency);
        _ = WatchPassageAsync(decision, claims);
        return decision;
    }

    private AgentDecision Deny(ScanRead scan, RejectReason reason, TokenClaims? claims, EntitlementRecord? record)
    {
        var verdict = new Verdict(false, reason, DecisionModes.Local, PolicyVersion: null, PolicyRule: null);
        return Finish(scan, claims, record, nonce: null, verdict, Stopwatch.GetElapsedTime(scan.TimestampTicks));
    }

    private AgentDecision Finish(
        ScanRead scan, TokenClaims? claims, EntitlementRecord? record, string? nonce, Verdict verdict, TimeSpan latency)
    {
        PublishScanNotice(scan, claims);
        var details = new DecisionDetails(claims, record, nonce, verdict, latency);
        string? eventId = TryAppend(EventKinds.Decision, details, static (draft, d) => d.Fill(draft));
        LogDecision(
            _logger, verdict.Admitted ? "admit" : "deny", RejectReasons.ToCode(verdict.Reason), verdict.Mode,
            claims?.EntitlementId ?? 0, (long)latency.TotalMicroseconds, eventId ?? "none", verdict.PolicyVersion ?? "none");

        return new AgentDecision
        {
            Admitted = verdict.Admitted,
            Reason = verdict.Reason,
            Mode = verdict.Mode,
            Latency = latency,
            Source = scan.Source,
            EntitlementId = claims?.EntitlementId,
            TokenId = claims?.TokenId,
            Nonce = nonce,
            PolicyVersion = verdict.PolicyVersion,
            PolicyRule = verdict.PolicyRule,
            EventId = eventId,
        };
    }

    private async Task WatchPassageAsync(AgentDecision decision, TokenClaims claims)
    {
        try
        {
            PassageOutcome outcome = await _gate.WaitForPassageAsync(_settings.PassageTimeout, CancellationToken.None);
            if (outcome == PassageOutcome.Annulled)
            {
                // NOTE: the token id stays in the seen-set, so the guest needs a fresh token
                // (they rotate every 30 to 300 s) to try again at this lane.
                LogAnnulled(_logger, claims.EntitlementId, decision.EventId);
                TryAppend(EventKinds.Status, (decision, claims), static (draft, s) => draft with
                {
                    Detail = "annulled",
                    EntitlementId = s.claims.EntitlementId,
                    TokenId = FormatTokenId(s.claims.TokenId),
                    Nonce = s.decision.Nonce,
                });
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException)
        {
            _logger.LogWarning(exception, "Could not watch the passage after admit {EventId}", decision.EventId);
        }
    }

    private string? TryAppend<TState>(string kind, TState state, Func<EdgeEvent, TState, EdgeEvent> fill)
    {
        try
        {
            return _outbox.Append(kind, state, fill).EventId;
        }
        catch (OutboxFullException exception)
        {
            _logger.LogError(exception, "Rejected a new {Kind} event because the outbox is full", kind);
        }
        catch (SqliteException exception)
        {
            _logger.LogError(exception, "Could not store a {Kind} event in the outbox", kind);
        }

        return null;
    }

    private void PublishScanNotice(ScanRead scan, TokenClaims? claims)
    {
        if (!_hub.IsConnected)
        {
            return;
        }

        _hub.PublishScanNotice(new ScanNotice
        {
            DeviceId = _settings.DeviceId,
            TimeMs = _clock.NowUnixMilliseconds,
            Source = scan.Source == ScanSource.Nfc ? "nfc" : "qr",
            Length = scan.Text?.Length ?? 0,
            TokenId = claims is null ? null : FormatTokenId(claims.TokenId),
        });
    }

    internal static string FormatTokenId(ulong tokenId) => tokenId.ToString("x16", CultureInfo.InvariantCulture);

    private static string NewNonce()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a repeated read from the {Source} reader")]
    private static partial void LogDebounced(ILogger logger, ScanSource source);

    // The event id and policy version let an operator match the line to the event at the hub.
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Decision {Outcome} ({Reason}, {Mode}) for entitlement {EntitlementId} in {LatencyMicros} µs, "
            + "event {EventId}, policy {PolicyVersion}")]
    private static partial void LogDecision(
        ILogger logger, string outcome, string reason, string mode, uint entitlementId, long latencyMicros, string eventId,
        string policyVersion);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Admit {EventId} of entitlement {EntitlementId} annulled: nobody passed the gate")]
    private static partial void LogAnnulled(ILogger logger, uint entitlementId, string? eventId);
}
