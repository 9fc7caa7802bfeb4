using System.Security.Cryptography;
using System.Text;
using EdgeIoT.Simulator.Crowd;

namespace EdgeIoT.Simulator.Reporting;

/// <summary>
/// A fingerprint of a run's decisions: SHA-256 over one line per visit in visit order with
/// the visitor kind, the lane, admit or deny and the reason. Timings, latencies and
/// online/offline modes are left out, because they vary with machine load while the
/// decisions must not.
/// </summary>
public static class DecisionDigest
{
    public static string Compute(IEnumerable<VisitResult> visits)
    {
        ArgumentNullException.ThrowIfNull(visits);

        var text = new StringBuilder();
        foreach (VisitResult visit in visits.OrderBy(v => v.Visit.Index))
        {
            text.Append(Line(visit)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The line of one visit, as the digest hashes it; useful to diff two runs.</summary>
    public static string Line(VisitResult visit)
    {
        ArgumentNullException.ThrowIfNull(visit);

        string outcome = "undecided";
        if (visit.Decision is not null)
        {
            outcome = visit.Decision.Admitted ? "admit" : "deny";
        }

        return $"{visit.Visit.Index} {visit.Visit.Kind} {visit.DeviceId} {outcome} {visit.Decision?.Reason ?? "-"}";
    }
}
