using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Hub.Options;

namespace EdgeIoT.Hub.Storage;

/// <summary>
/// The current entitlement snapshot: the encoded bytes that devices receive and the parsed
/// form the hub's own verifier uses for revocation checks.
/// </summary>
public sealed class SnapshotCache(EntitlementStore store, HubOptions options)
{
    private volatile SnapshotState _state = new([], null);

    /// <summary>Raised after <see cref="Rebuild"/>; the broker republishes the snapshot retained.</summary>
    public event Action? Changed;

    public byte[] Bytes => _state.Bytes;

    /// <summary>Parsed snapshot, or null before the first import.</summary>
    public EntitlementSnapshot? Current => _state.Snapshot;

    public uint Version => _state.Snapshot?.Version ?? 0;

    /// <summary>Reads every entitlement and encodes a new snapshot under the stored version.</summary>
    public void Rebuild()
    {
        uint version = store.SnapshotVersion();
        EntitlementRecord[] records = store.ReadAll().Select(ToRecord).ToArray();
        byte[] bytes = EntitlementSnapshot.Encode(version, options.EventId, records);
        EntitlementSnapshot parsed = EntitlementSnapshot.TryParse(bytes, out string error)
            ?? throw new InvalidOperationException($"The hub encoded a snapshot it cannot parse: {error}.");

        _state = new SnapshotState(records.Length == 0 ? [] : bytes, records.Length == 0 ? null : parsed);
        Changed?.Invoke();
    }

    private static EntitlementRecord ToRecord(Entitlement entitlement) => new()
    {
        EntitlementId = entitlement.Id,
        Tier = entitlement.Tier,
        Payment = entitlement.Payment,
        Cancelled = entitlement.Cancelled,
        SingleEntry = entitlement.SingleEntry,
        Epoch = entitlement.Epoch,
    };

    private sealed record SnapshotState(byte[] Bytes, EntitlementSnapshot? Snapshot);
}
