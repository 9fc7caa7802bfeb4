using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hub.Ledger;

namespace EdgeIoT.Hub.Checks;

/// <summary>
/// Decides online checks by the offline policy while the central ledger is unreachable. The
/// snapshot's payment status, tier and entitlement list are facts the central system owns, and
/// during an outage the hub cannot confirm them, so the same evaluator as on the devices
/// decides with offlineSeconds = time since the ledger last responded.
/// </summary>
public sealed class OutagePolicy(HubPolicy policy, LedgerSyncStatus ledger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, uint> _admits = new(StringComparer.Ordinal);
    private long _countedOutageSinceMs = -1;

    /// <summary>
    /// Evaluates the policy for a verified token. Returns null while the ledger responds, or when
    /// no valid policy file is loaded, so the snapshot alone decides.
    /// </summary>
    public OutageDecision? TryEvaluate(TokenClaims claims, EntitlementRecord? record, string deviceId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(claims);

        OfflinePolicy? current = policy.Current;
        if (current is null || !ledger.TryReadOutage(out long sinceMs))
        {
            return null;
        }

        long offlineSeconds = Math.Max(0, (now.ToUnixTimeMilliseconds() - sinceMs) / 1000);
        var input = new PolicyInput
        {
            Role = claims.Role,
            EntitlementKnown = record is not null,
            Tier = record?.Tier ?? default,
            Payment = record?.Payment ?? default,
            OfflineSeconds = (uint)Math.Min(uint.MaxValue, offlineSeconds),
            DeviceOfflineAdmits = AdmitsOf(deviceId, sinceMs),
            SpendAllowanceMinor = claims.SpendAllowanceMinor,
        };

        PolicyDecision decision = current.Evaluate(input);
        return new OutageDecision(decision, current.VersionLabel, input.ToCaseColumns(), sinceMs);
    }

    /// <summary>Counts a policy admit of <paramref name="deviceId"/> towards its guardrail in the outage it was made in.</summary>
    public void RecordAdmit(string deviceId, OutageDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);

        lock (_gate)
        {
            ResetIfNewOutage(decision.OutageSinceMs);
            _admits[deviceId] = _admits.GetValueOrDefault(deviceId) + 1;
        }
    }

    private uint AdmitsOf(string deviceId, long outageSinceMs)
    {
        lock (_gate)
        {
            ResetIfNewOutage(outageSinceMs);
            return _admits.GetValueOrDefault(deviceId);
        }
    }

    private void ResetIfNewOutage(long outageSinceMs)
    {
        // The guardrail counts admits per device and outage, as a device counts its own
        // offline admits until it reaches the hub again.
        if (outageSinceMs != _countedOutageSinceMs)
        {
            _admits.Clear();
            _countedOutageSinceMs = outageSinceMs;
        }
    }
}

/// <summary>A policy decision of the hub, with the policy label and inputs its decision event records.</summary>
public sealed record OutageDecision(PolicyDecision Decision, string PolicyVersion, string PolicyInputs, long OutageSinceMs);
