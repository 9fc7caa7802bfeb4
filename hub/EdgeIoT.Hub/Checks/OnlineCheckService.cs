using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Hub.Checks;

/// <summary>
/// Decides online checks: verifies the token with the shared pipeline, then consumes the
/// entitlement. All consumptions pass one lock, so two gates can never both admit the same
/// single-entry ticket; re-entry passes are admitted every time and only recorded. While the
/// central ledger is unreachable, <see cref="OutagePolicy"/> decides by the offline policy.
/// </summary>
public sealed partial class OnlineCheckService
{
    public const string Admit = "admit";
    public const string Deny = "deny";

    private readonly KeyRing _keys;
    private readonly SnapshotCache _snapshot;
    private readonly EntitlementStore _store;
    private readonly DelegationDirectory _delegations;
    private readonly HubOptions _options;
    private readonly TimeProvider _time;
    private readonly AuditLog _audit;
    private readonly OutagePolicy _outagePolicy;
    private readonly ILogger<OnlineCheckService> _logger;
    private readonly Lock _consumeGate = new();
    private readonly Lazy<HashSet<uint>> _admittedSingleEntry;

    public OnlineCheckService(
        KeyRing keys,
        SnapshotCache snapshot,
        EntitlementStore store,
        DelegationDirectory delegations,
        HubOptions options,
        TimeProvider time,
        AuditLog audit,
        OutagePolicy outagePolicy,
        ILogger<OnlineCheckService> logger)
    {
        _keys = keys;
        _snapshot = snapshot;
        _store = store;
        _delegations = delegations;
        _options = options;
        _time = time;
        _audit = audit;
        _outagePolicy = outagePolicy;
        _logger = logger;
        _admittedSingleEntry = new Lazy<HashSet<uint>>(store.ReadAdmittedSingleEntry);
    }

    /// <summary>Decides one check request from the authenticated device.</summary>
    public CheckResponse Check(CheckRequest request, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(request);

        CheckVerdict verdict = Decide(request, deviceId);
        string outcome = verdict.Reason == RejectReason.None ? Admit : Deny;
        string reason = RejectReasons.ToCode(verdict.Reason);
        LogCheck(deviceId, request.Nonce, verdict.EntitlementId, outcome, reason, verdict.Policy?.Decision.RuleName);

        // Not awaited: the audit writer commits in groups off the check path and logs a failure.
        _audit.Append(AuditKinds.Decision, AuditActors.Hub, new
        {
            deviceId,
            nonce = request.Nonce,
            entitlementId = verdict.EntitlementId == 0 ? (uint?)null : verdict.EntitlementId,
            outcome,
            reason,
            mode = "online",
            policyVersion = verdict.Policy?.PolicyVersion,
            policyRule = verdict.Policy?.Decision.RuleName,
            policyInputs = verdict.Policy?.PolicyInputs,
        });
        return new CheckResponse
        {
            Nonce = request.Nonce,
            Outcome = outcome,
            Reason = reason,
            PolicyVersion = verdict.Policy?.PolicyVersion,
            PolicyRule = verdict.Policy?.Decision.RuleName,
            PolicyInputs = verdict.Policy?.PolicyInputs,
        };
    }

    private CheckVerdict Decide(CheckRequest request, string deviceId)
    {
        RejectReason decoded = QrText.TryDecode(request.Token, out byte[] token);
        if (decoded != RejectReason.None)
        {
            return new CheckVerdict(decoded, 0, null);
        }

        DateTimeOffset now = _time.GetUtcNow();
        var verifier = new TokenVerifier(NSecSignatureVerifier.Instance, _options.EventId, _options.Keys.ClockSkewSeconds);
        verifier.TryInstallKeys(_keys.KeyList);
        verifier.SetRotatingCodeKey(_keys.RotatingCodeKey);
        EntitlementSnapshot? snapshot = _snapshot.Current;

        // An absent or unreadable UID leaves null, which a wristband credential never matches.
        byte[]? chipUid = ChipUids.TryParse(request.ChipUid, out byte[]? parsedUid, out _) ? parsedUid : null;
        VerifyResult result = verifier.Verify(
            token, chipUid, (uint)now.ToUnixTimeSeconds(), clockReliable: true, request.Zone, snapshot, seen: null);
        if (result.Reason == RejectReason.DelegationUnknown
            && _delegations.CertificateFor(result.Claims.EntitlementId) is byte[] certificate
            && verifier.TryAddDelegation(certificate) == RejectReason.None)
        {
            // The token carries a reference or no certificate at all. The hub can sign the
            // assistant's current certificate itself, so it checks the token against that one.
            result = verifier.Verify(
                token, chipUid, (uint)now.ToUnixTimeSeconds(), clockReliable: true, request.Zone, snapshot, seen: null);
        }

        if (!result.IsValid)
        {
            return new CheckVerdict(result.Reason, 0, null);
        }

        uint entitlementId = result.Claims.EntitlementId;
        EntitlementRecord? record = snapshot?.Find(entitlementId);
        OutageDecision? byPolicy = _outagePolicy.TryEvaluate(result.Claims, record, deviceId, now);
        if (record is null && byPolicy is null)
        {
            return new CheckVerdict(RejectReason.UnknownEntitlement, entitlementId, null);
        }

        if (result.Claims.Type == TokenType.Delegated && !DelegationValid(entitlementId, now))
        {
            return new CheckVerdict(RejectReason.Revoked, entitlementId, null);
        }

        if (byPolicy is null)
        {
            return new CheckVerdict(Consume(entitlementId, record!.SingleEntry, now, deviceId), entitlementId, null);
        }

        return new CheckVerdict(ConsumeByPolicy(byPolicy, record, entitlementId, now, deviceId), entitlementId, byPolicy);
    }

    /// <summary>
    /// Applies a policy decision. A grant still passes the single-entry check, and an entitlement
    /// missing from the snapshot has no row to consume, so its admit is recorded in the audit log only.
    /// </summary>
    private RejectReason ConsumeByPolicy(
        OutageDecision byPolicy, EntitlementRecord? record, uint entitlementId, DateTimeOffset now, string deviceId)
    {
        if (!byPolicy.Decision.IsGrant)
        {
            return byPolicy.Decision.Reason;
        }

        RejectReason consumed = record is null ? RejectReason.None : Consume(entitlementId, record.SingleEntry, now, deviceId);
        if (consumed == RejectReason.None)
        {
            _outagePolicy.RecordAdmit(deviceId, byPolicy);
        }

        return consumed;
    }

    private bool DelegationValid(uint assistantId, DateTimeOffset now)
    {
        (uint CreatorId, long ExpiresMs)? delegation = _store.FindDelegation(assistantId);
        return delegation is not null && now.ToUnixTimeMilliseconds() <= delegation.Value.ExpiresMs;
    }

    private RejectReason Consume(uint entitlementId, bool singleEntry, DateTimeOffset now, string deviceId)
    {
        if (singleEntry)
        {
            lock (_consumeGate)
            {
                if (!_admittedSingleEntry.Value.Add(entitlementId))
                {
                    return RejectReason.AlreadyAdmitted;
                }
            }
        }

        try
        {
            _store.RecordConsumption(entitlementId, now.ToUnixTimeMilliseconds(), deviceId);
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            // Without the stored consumption a restart would admit the ticket again, so undo and deny.
            LogConsumptionFailed(exception, entitlementId, deviceId);
            if (singleEntry)
            {
                lock (_consumeGate)
                {
                    _admittedSingleEntry.Value.Remove(entitlementId);
                }
            }

            return RejectReason.PolicyDenied;
        }

        return RejectReason.None;
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug,
        Message = "Online check from {DeviceId} nonce {Nonce} entitlement {EntitlementId}: {Outcome} ({Reason}, policy rule {PolicyRule})")]
    private partial void LogCheck(string deviceId, string nonce, uint entitlementId, string outcome, string reason, string? policyRule);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Error,
        Message = "Storing the admission of entitlement {EntitlementId} from {DeviceId} failed; the check was denied")]
    private partial void LogConsumptionFailed(Exception exception, uint entitlementId, string deviceId);

    /// <summary>The reason (None for an admit), the entitlement and, when the policy decided, its decision.</summary>
    private readonly record struct CheckVerdict(RejectReason Reason, uint EntitlementId, OutageDecision? Policy);
}
