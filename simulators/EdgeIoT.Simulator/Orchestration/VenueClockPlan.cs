using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Lets venue time pass at once (hub and devices together) before the crowd arrives: past the
/// lifetime of codes issued for the expired-code holders, and so that the hub's signing key
/// hands over to its successor at the scenario's rotation point. Moving every clock by the
/// same amount keeps the devices' offsets from the hub unchanged.
/// </summary>
public sealed class VenueClockPlan(ScenarioOptions scenario, SimulatedClock venueClock, HubNode hub, ILogger logger)
{
    // Longer than the hub's default token lifetime (120 s) plus the verifier's clock skew
    // allowance (20 s), so every code issued before the jump has expired after it.
    private static readonly TimeSpan ExpiryJump = TimeSpan.FromMinutes(4);

    // Time for the hub's 2-second rotation and beacon loop to publish the key list after a jump.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>Seconds into the arrival window at which the key rotation happens, when one is planned.</summary>
    public double? RotationSecond { get; private set; }

    /// <summary>Issues the codes expired-code holders will show, then moves the clock past their expiry.</summary>
    public async Task<IReadOnlyDictionary<int, string>> IssueExpiringCodesAsync(
        IReadOnlyList<Visit> visits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visits);

        var codes = new Dictionary<int, string>();
        foreach (Visit visit in visits.Where(v => v.Kind == VisitKind.Expired))
        {
            codes[visit.Index] = (await hub.Client.CheckInAsync(visit.OrderCode!, cancellationToken)).Token;
        }

        if (codes.Count > 0)
        {
            venueClock.Advance(ExpiryJump);
            logger.LogInformation(
                "Issued {Codes} codes for expired-code holders; venue clock moved {Minutes} minutes ahead",
                codes.Count, ExpiryJump.TotalMinutes);
            await Task.Delay(Settle, cancellationToken);
        }

        return codes;
    }

    /// <summary>
    /// Moves the clock so that the signing key in use ends (or a later one, when that end is
    /// already too close) at the rotation point of the arrival window.
    /// </summary>
    public async Task PlaceKeyRotationAsync(CancellationToken cancellationToken)
    {
        if (scenario.KeyRotation is not { } rotation)
        {
            return;
        }

        TimeSpan intoWindow = scenario.ArrivalWindow * rotation.At;
        DateTimeOffset crowdStart = hub.Clock.GetUtcNow() + Settle;
        DateTimeOffset keyEnd = hub.CurrentKeyEnd();
        while (keyEnd - crowdStart < intoWindow)
        {
            keyEnd += rotation.Interval;
        }

        TimeSpan jump = keyEnd - crowdStart - intoWindow;
        venueClock.Advance(jump);
        RotationSecond = intoWindow.TotalSeconds;
        logger.LogInformation(
            "Venue clock moved {Seconds:F1} s ahead so the signing key hands over {Into:F1} s into the crowd",
            jump.TotalSeconds, intoWindow.TotalSeconds);
        await Task.Delay(Settle, cancellationToken);
    }
}
