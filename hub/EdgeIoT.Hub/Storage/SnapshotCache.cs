using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Hub.Options;

namespace EdgeIoT.Hub.Storage;

/// <summary>
/// The current entitlement snapshot: the encoded bytes that devices receive, the parsed form the
/// hub's own verifier uses for revocation checks, and deltas for devices that hold an older version.
/// A snapshot with fewer than MinSnapshotSize entitlements is never handed to devices.
/// </summary>
public sealed partial class SnapshotCache(EntitlementStore store, HubOptions options, ILogger<SnapshotCache> logger)
{
    private volatile SnapshotState _state = new([], null);

    /// <summary>Raised after <see cref="Rebuild"/>; the broker republishes the snapshot retained.</summary>
    public event Action? Changed;

    /// <summary>Encoded snapshot for devices; empty before the first import or while it is implausibly small.</summary>
    public byte[] Bytes => _state.Bytes;

    /// <summary>Parsed snapshot, or null before the first import.</summary>
    public EntitlementSnapshot? Current => _state.Snapshot;

    public uint Version => _state.Snapshot?.Version ?? 0;

    public int Count => _state.Snapshot?.Count ?? 0;

    /// <summary>Reads every entitlement and encodes a new snapshot under the stored version.</summary>
    public void Rebuild()
    {
        uint version = store.SnapshotVersion();
        EntitlementRecord[] records = store.ReadAll().Select(ToRecord).ToArray();
        byte[] bytes = EntitlementSnapshot.Encode(version, options.EventId, records);
        EntitlementSnapshot parsed = EntitlementSnapshot.TryParse(bytes, out string error)
            ?? throw new InvalidOperationException($"The hub encoded a snapshot it cannot parse: {error}.");

        bool publishable = records.Length > 0 && records.Length >= options.MinSnapshotSize;
        if (records.Length > 0 && !publishable)
        {
            LogTooSmall(version, records.Length, options.MinSnapshotSize);
        }

        _state = new SnapshotState(publishable ? bytes : [], records.Length == 0 ? null : parsed);
        Changed?.Invoke();
    }

    /// <summary>
    /// Returns what a device holding <paramref name="heldVersion"/> needs: a delta with the
    /// entitlements changed since then, or the full snapshot when it holds none (0), holds a
    /// version this hub does not know, or the delta would not be smaller. Returns an empty array
    /// while there is no snapshot to hand out.
    /// </summary>
    public SnapshotPayload ForDevice(uint heldVersion)
    {
        SnapshotState state = _state;
        if (state.Bytes.Length == 0 || state.Snapshot is null)
        {
            return new SnapshotPayload([], IsDelta: false, Version: 0);
        }

        EntitlementSnapshot current = state.Snapshot;
        IReadOnlyList<uint>? changed = heldVersion == 0 || heldVersion > current.Version
            ? null
            : store.ChangedSince(heldVersion);
        if (changed is null)
        {
            return new SnapshotPayload(state.Bytes, IsDelta: false, current.Version);
        }

        // Ids changed after the cached snapshot was built are left out; the next Rebuild's version covers them.
        EntitlementRecord[] records = changed.Select(current.Find).OfType<EntitlementRecord>().ToArray();
        byte[] delta = EntitlementSnapshot.EncodeDelta(heldVersion, current.Version, options.EventId, records);
        return delta.Length < state.Bytes.Length
            ? new SnapshotPayload(delta, IsDelta: true, current.Version)
            : new SnapshotPayload(state.Bytes, IsDelta: false, current.Version);
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

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error,
        Message = "Snapshot version {Version} holds {Count} entitlements, fewer than Hub:MinSnapshotSize {Minimum}; it is not sent to devices. Import the full guest list or lower Hub:MinSnapshotSize")]
    private partial void LogTooSmall(uint version, int count, int minimum);

    private sealed record SnapshotState(byte[] Bytes, EntitlementSnapshot? Snapshot);
}
