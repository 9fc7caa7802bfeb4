namespace EdgeIoT.Simulator.Scenarios;

/// <summary>JSON names of the fault kinds, as scenario files and the report spell them.</summary>
public static class FaultKinds
{
    private static readonly Dictionary<string, FaultKind> ByName = new(StringComparer.Ordinal)
    {
        ["partition"] = FaultKind.Partition,
        ["latency"] = FaultKind.Latency,
        ["drop"] = FaultKind.Drop,
        ["reset"] = FaultKind.Reset,
        ["power-loss"] = FaultKind.PowerLoss,
        ["hub-power-loss"] = FaultKind.HubPowerLoss,
        ["clock-skew"] = FaultKind.ClockSkew,
        ["hub-clock-step"] = FaultKind.HubClockStep,
        ["printer-paper-out"] = FaultKind.PrinterPaperOut,
        ["printer-stall"] = FaultKind.PrinterStall,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string name, out FaultKind kind) => ByName.TryGetValue(name, out kind);

    public static string ToName(FaultKind kind) => ByName.First(pair => pair.Value == kind).Key;

    /// <summary>True for faults that act on a network link through a fault proxy.</summary>
    public static bool IsLinkFault(FaultKind kind) =>
        kind is FaultKind.Partition or FaultKind.Latency or FaultKind.Drop or FaultKind.Reset;

    /// <summary>True for faults that last from <c>at</c> to <c>until</c>; the others happen once.</summary>
    public static bool HasDuration(FaultKind kind) =>
        kind is FaultKind.Partition or FaultKind.Latency or FaultKind.Drop or FaultKind.PowerLoss
            or FaultKind.HubPowerLoss or FaultKind.PrinterPaperOut or FaultKind.PrinterStall;
}
