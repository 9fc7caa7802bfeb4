using EdgeIoT.Simulator.Faults;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// One lane of the venue as the crowd meets it: a camera to show a QR image to, and a gate
/// that opens or not. Implemented by an edge agent lane and by a virtual ESP32 lane.
/// </summary>
public interface IGateLane : IAsyncDisposable
{
    string DeviceId { get; }

    /// <summary>"agent" or "firmware".</summary>
    string DeviceClass { get; }

    /// <summary>The lane's network link to the hub, which the fault schedule may cut.</summary>
    FaultProxy HubLink { get; }

    /// <summary>
    /// Shows a QR image to the lane and waits for its decision. Returns null when the frame
    /// could not be read, so the guest presents it again.
    /// </summary>
    Task<LaneDecision?> PresentAsync(byte[] qrPng, CancellationToken cancellationToken);

    /// <summary>
    /// Sells to the holder of <paramref name="tokenText"/> at this lane and prints a receipt.
    /// Lanes without a till throw <see cref="NotSupportedException"/>.
    /// </summary>
    Task<LaneSale> SellAsync(string tokenText, long amountMinor, string description, CancellationToken cancellationToken);

    bool HasTill { get; }

    /// <summary>Highest sequence number the device has given an event; its events are 1 to this.</summary>
    long LastSequence { get; }

    /// <summary>Events stored on the device and not yet acknowledged by the hub.</summary>
    int OutboxDepth { get; }

    /// <summary>Receipts the lane's printer has printed.</summary>
    int ReceiptsPrinted { get; }

    /// <summary>True once the lane has the key list, snapshot and policy and can decide.</summary>
    bool IsReady { get; }
}

/// <summary>A lane's decision as the report counts it.</summary>
public sealed record LaneDecision(bool Admitted, string Reason, string Mode, string? PolicyVersion, TimeSpan Latency);

/// <summary>Result of a sale at a lane.</summary>
public sealed record LaneSale(bool Accepted, string? Reason, bool ReceiptPrinted);
