using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// One lane of the venue as the crowd meets it: a scanner to show a QR image to, and a gate
/// that opens or not. Implemented by an edge agent lane and by a virtual ESP32 lane.
/// </summary>
public interface IGateLane : IAsyncDisposable
{
    string DeviceId { get; }

    /// <summary>"agent" or "firmware".</summary>
    string DeviceClass { get; }

    LaneSpec Spec { get; }

    /// <summary>The lane's network link to the hub, which the fault schedule may cut.</summary>
    FaultProxy HubLink { get; }

    /// <summary>The device's wall clock, which clock faults set off.</summary>
    SimulatedClock Clock { get; }

    /// <summary>
    /// Shows a QR image to the lane and waits for its decision. On an admit the guest then acts
    /// out the passage of <paramref name="habits"/>. Returns null when the frame could not be
    /// read, so the guest presents it again.
    /// </summary>
    Task<LaneDecision?> PresentAsync(byte[] qrPng, ScanHabits habits, CancellationToken cancellationToken);

    /// <summary>True when the lane has an NFC reader that <see cref="PresentTagAsync"/> can use.</summary>
    bool HasNfcReader { get; }

    /// <summary>
    /// Holds an NFC tag with <paramref name="tokenText"/> on the lane's reader and waits for its
    /// decision, then takes the tag away. On an admit the guest acts out the passage of
    /// <paramref name="habits"/>. Returns null when no decision came. Lanes without a reader
    /// throw <see cref="NotSupportedException"/>.
    /// </summary>
    Task<LaneDecision?> PresentTagAsync(string tokenText, ScanHabits habits, CancellationToken cancellationToken);

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

    /// <summary>True while the device has a live MQTT connection to the hub's broker.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Raised when the device's MQTT connection to the hub opens (true) or closes (false), and
    /// with false at a power cut, at the moment of the change rather than at the next poll.
    /// </summary>
    event EventHandler<bool>? HubConnectionChanged;

    /// <summary>Admits the device annulled because no one passed within its passage timeout.</summary>
    int Annulled { get; }

    /// <summary>Passages the gate's sensor saw with no admit pending.</summary>
    int Tailgates { get; }

    /// <summary>Cuts power: nothing is flushed, and the lane decides nothing until <see cref="PowerOnAsync"/>.</summary>
    Task PowerLossAsync();

    /// <summary>Starts the device again on the same data files.</summary>
    Task PowerOnAsync(CancellationToken cancellationToken);

    /// <summary>Sets the receipt printer out of paper or back; lanes without a printer ignore it.</summary>
    void SetPaperOut(bool paperOut);

    /// <summary>The link to the receipt printer, or null for lanes without one.</summary>
    FaultProxy? PrinterLink { get; }
}

/// <summary>A lane's decision as the report counts it.</summary>
public sealed record LaneDecision(bool Admitted, string Reason, string Mode, string? PolicyVersion, TimeSpan Latency);

/// <summary>Result of a sale at a lane.</summary>
public sealed record LaneSale(bool Accepted, string? Reason, bool ReceiptPrinted);
