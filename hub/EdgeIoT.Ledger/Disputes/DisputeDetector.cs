using System.Globalization;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Ledger.Disputes;

/// <summary>
/// Finds disputes among stored events. It runs over the whole store on every request, so
/// the result does not depend on the order in which hubs delivered the events.
/// </summary>
public static class DisputeDetector
{
    private const string Admit = "admit";
    private const string Online = "online";
    private const string Offline = "offline";
    private const string Cancelled = "cancelled";

    /// <summary>Returns every dispute, ordered by kind, hub and first event.</summary>
    public static List<Dispute> Detect(IEnumerable<DisputeCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);

        var events = candidates.ToList();
        var disputes = new List<Dispute>();
        disputes.AddRange(FindDoubleAdmits(events));
        disputes.AddRange(FindAdmitsAfterCancel(events));
        disputes.AddRange(FindLostReplies(events));

        return disputes
            .OrderBy(d => d.Kind, StringComparer.Ordinal)
            .ThenBy(d => d.HubId, StringComparer.Ordinal)
            .ThenBy(d => d.EventIds[0], StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<Dispute> FindDoubleAdmits(List<DisputeCandidate> events)
    {
        var singleEntryAdmits = events
            .Where(e => IsAdmit(e) && e.SingleEntry == true && e.EntitlementId is not null)
            .GroupBy(e => (e.HubId, EntitlementId: e.EntitlementId!.Value));

        foreach (var group in singleEntryAdmits)
        {
            // An online admit and its offline fallback share a nonce and record one scan, which
            // lost_reply reports. Only separate scans make a double admit.
            int scans = group.GroupBy(e => e.Nonce ?? "event:" + e.EventId, StringComparer.Ordinal).Count();
            int offline = group.Count(e => e.Mode == Offline);
            if (scans < 2 || offline == 0)
            {
                continue;
            }

            string detail = string.Create(
                CultureInfo.InvariantCulture,
                $"single-entry entitlement admitted by {scans} scans, {offline} of them offline");
            yield return Build(DisputeKinds.DoubleAdmit, group.Key.HubId, group.Key.EntitlementId, null, group, detail);
        }
    }

    private static IEnumerable<Dispute> FindAdmitsAfterCancel(List<DisputeCandidate> events)
    {
        var cancellations = events
            .Where(e => e.Kind == EventKinds.Entitlement && e.Detail == Cancelled && e.EntitlementId is not null)
            .GroupBy(e => (e.HubId, EntitlementId: e.EntitlementId!.Value));

        foreach (var group in cancellations)
        {
            var firstCancel = group.OrderBy(e => e.DeviceTimeMs).First();
            var lateAdmits = events
                .Where(e => IsAdmit(e) && e.HubId == group.Key.HubId && e.EntitlementId == group.Key.EntitlementId)
                .Where(e => e.DeviceTimeMs > firstCancel.DeviceTimeMs)
                .ToList();
            if (lateAdmits.Count == 0)
            {
                continue;
            }

            string detail = string.Create(
                CultureInfo.InvariantCulture,
                $"{lateAdmits.Count} admit(s) after the entitlement was cancelled at device time {firstCancel.DeviceTimeMs}");
            var involved = lateAdmits.Prepend(firstCancel);
            yield return Build(
                DisputeKinds.AdmitAfterCancel, group.Key.HubId, group.Key.EntitlementId, null, involved, detail);
        }
    }

    private static IEnumerable<Dispute> FindLostReplies(List<DisputeCandidate> events)
    {
        var byNonce = events
            .Where(e => e.Kind == EventKinds.Decision && e.Nonce is not null)
            .GroupBy(e => (e.HubId, Nonce: e.Nonce!));

        foreach (var group in byNonce)
        {
            var onlineAdmit = group.FirstOrDefault(e => IsAdmit(e) && e.Mode == Online);
            var offlineDecisions = group.Where(e => e.Mode == Offline).ToList();
            if (onlineAdmit is null || offlineDecisions.Count == 0)
            {
                continue;
            }

            string offlineOutcomes = string.Join(", ", offlineDecisions.Select(e => e.Outcome ?? "unknown"));
            string detail = "hub admitted online but the gate decided offline (" + offlineOutcomes + ")";
            yield return Build(
                DisputeKinds.LostReply, group.Key.HubId, onlineAdmit.EntitlementId, group.Key.Nonce, group, detail);
        }
    }

    private static bool IsAdmit(DisputeCandidate e) => e.Kind == EventKinds.Decision && e.Outcome == Admit;

    private static Dispute Build(
        string kind,
        string hubId,
        long? entitlementId,
        string? nonce,
        IEnumerable<DisputeCandidate> involved,
        string detail)
    {
        var ordered = involved
            .OrderBy(e => e.DeviceTimeMs)
            .ThenBy(e => e.EventId, StringComparer.Ordinal)
            .ToList();

        return new Dispute
        {
            Kind = kind,
            HubId = hubId,
            EntitlementId = entitlementId,
            Nonce = nonce,
            EventIds = ordered.ConvertAll(e => e.EventId),
            DeviceIds = ordered.ConvertAll(e => e.DeviceId),
            DeviceTimesMs = ordered.ConvertAll(e => e.DeviceTimeMs),
            ReceivedTimesMs = ordered.ConvertAll(e => e.LedgerReceivedMs),
            Detail = detail,
        };
    }
}
