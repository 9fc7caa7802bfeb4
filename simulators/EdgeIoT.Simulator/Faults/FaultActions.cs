using System.Globalization;
using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Faults;

/// <summary>What starting and ending each kind of fault does to its target.</summary>
public static class FaultActions
{
    /// <summary>Starts <paramref name="fault"/>; returns a detail for the report, or null.</summary>
    public static async Task<string?> StartAsync(FaultSpec fault, FaultTargets targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentNullException.ThrowIfNull(targets);

        switch (fault.Kind)
        {
            case FaultKind.Partition:
                ForEachLink(fault, targets, link => link.Partition());
                return null;
            case FaultKind.Latency:
                ForEachLink(fault, targets, link => link.Latency = TimeSpan.FromMilliseconds(fault.Amount));
                return Invariant($"{fault.Amount} ms");
            case FaultKind.Drop:
                ForEachLink(fault, targets, link => link.Drop());
                return null;
            case FaultKind.Reset:
                ForEachLink(fault, targets, link => link.ResetConnections());
                return null;
            case FaultKind.PowerLoss:
                return await PowerLossAsync(targets.Lane(fault.Target));
            case FaultKind.HubPowerLoss:
                return await targets.Hub.PowerLossAsync();
            case FaultKind.ClockSkew:
                IGateLane lane = targets.Lane(fault.Target);
                lane.Clock.Skew = TimeSpan.FromSeconds(fault.Amount);
                return Invariant($"{fault.Amount:+0.###;-0.###} s from true time");
            case FaultKind.HubClockStep:
                targets.Hub.Clock.Skew += TimeSpan.FromSeconds(fault.Amount);
                return Invariant($"{fault.Amount:+0.###;-0.###} s");
            case FaultKind.PrinterPaperOut:
                targets.Lane(fault.Target).SetPaperOut(true);
                return null;
            case FaultKind.PrinterStall:
                targets.Lane(fault.Target).PrinterLink?.Drop();
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "Unknown fault kind.");
        }
    }

    /// <summary>Ends <paramref name="fault"/>; returns a detail for the report, or null.</summary>
    public static async Task<string?> EndAsync(FaultSpec fault, FaultTargets targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentNullException.ThrowIfNull(targets);

        switch (fault.Kind)
        {
            case FaultKind.Partition:
                ForEachLink(fault, targets, link => link.Heal());
                break;
            case FaultKind.Latency:
                ForEachLink(fault, targets, link => link.Latency = TimeSpan.Zero);
                break;
            case FaultKind.Drop:
                ForEachLink(fault, targets, link => link.Resume());
                break;
            case FaultKind.PowerLoss:
                IGateLane restartedLane = targets.Lane(fault.Target);
                await restartedLane.PowerOnAsync(cancellationToken);
                return restartedLane is IProcessLane { ProcessId: { } lanePid } ? Invariant($"restarted as pid {lanePid}") : null;
            case FaultKind.HubPowerLoss:
                string? restarted = await targets.Hub.PowerOnAsync(cancellationToken);
                foreach (IGateLane lane in targets.Lanes)
                {
                    lane.HubLink.Retarget(targets.Hub.MqttEndpoint);
                }

                return restarted;
            case FaultKind.PrinterPaperOut:
                targets.Lane(fault.Target).SetPaperOut(false);
                break;
            case FaultKind.PrinterStall:
                targets.Lane(fault.Target).PrinterLink?.Resume();
                break;
        }

        return null;
    }

    /// <summary>Cuts a lane's power. For a lane in its own process, the detail names the killed pid.</summary>
    private static async Task<string?> PowerLossAsync(IGateLane lane)
    {
        int? processId = (lane as IProcessLane)?.ProcessId;
        await lane.PowerLossAsync();
        return processId is null ? null : Invariant($"SIGKILL pid {processId}");
    }

    private static void ForEachLink(FaultSpec fault, FaultTargets targets, Action<FaultProxy> action)
    {
        foreach (FaultProxy link in targets.Links(fault.Target))
        {
            action(link);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
