namespace EdgeIoT.Simulator.Scenarios;

/// <summary>Faults a scenario can schedule; the JSON names are in <see cref="FaultKinds"/>.</summary>
public enum FaultKind
{
    /// <summary>The link resets open connections and refuses new ones.</summary>
    Partition,

    /// <summary>Every chunk forwarded over the link waits this many milliseconds.</summary>
    Latency,

    /// <summary>The link swallows bytes without resetting, so connections stall until a timeout.</summary>
    Drop,

    /// <summary>The link resets every open connection once; new connections work.</summary>
    Reset,

    /// <summary>A lane loses power: no flush, restart on the same data files.</summary>
    PowerLoss,

    /// <summary>The hub loses power: no flush, restart on the same data files.</summary>
    HubPowerLoss,

    /// <summary>A device's wall clock is set off by a number of seconds from then on.</summary>
    ClockSkew,

    /// <summary>The hub's wall clock jumps by a number of seconds.</summary>
    HubClockStep,

    /// <summary>A lane's receipt printer reports paper out.</summary>
    PrinterPaperOut,

    /// <summary>A lane's receipt printer stops reading from its connection.</summary>
    PrinterStall,
}
