using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// The key list, entitlement snapshot and offline policy last received from the hub. Each is
/// validated before it replaces the current one, and its bytes are kept in the data folder so
/// an agent that restarts during a hub outage still decides.
/// </summary>
public sealed class HubState
{
    public const string KeysFile = "keys.bin";
    public const string SnapshotFile = "snapshot.bin";
    public const string PolicyFile = "policy.json";
    public const string DelegationsFile = "delegations.bin";

    private readonly byte[] _rootPublicKey;
    private readonly ISignatureVerifier _signatureVerifier;
    private readonly string? _folder;
    private readonly ILogger _logger;
    private EntitlementSnapshot? _snapshot;
    private OfflinePolicy? _policy;
    private readonly Lock _beaconGate = new();
    private uint _lastBeaconEpoch;
    private long _lastBeaconHubTimeMs;

    /// <param name="folder">Folder to persist the received bytes in, or null to keep them in memory only.</param>
    public HubState(
        TokenVerifier verifier,
        byte[] rootPublicKey,
        ISignatureVerifier signatureVerifier,
        string? folder,
        ILogger<HubState>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(rootPublicKey);
        ArgumentNullException.ThrowIfNull(signatureVerifier);
        if (rootPublicKey.Length != 32)
        {
            throw new ArgumentException(
                $"Venue root public key must be 32 bytes, got {rootPublicKey.Length}.", nameof(rootPublicKey));
        }

        Verifier = verifier;
        _rootPublicKey = rootPublicKey;
        _signatureVerifier = signatureVerifier;
        _folder = folder;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Raised after a key list, snapshot or policy was installed, with its file name as the argument.</summary>
    public event EventHandler<string>? Installed;

    public TokenVerifier Verifier { get; }

    /// <summary>
    /// Checks a time beacon: signed by an unrevoked key of the installed key list, and newer than
    /// the last accepted one, because a replayed older beacon would set the clock back. A beacon
    /// with a higher epoch is newer even when its time is earlier: the hub raises the epoch when
    /// its clock goes back. Returns null when the beacon is accepted, otherwise why it is not.
    /// </summary>
    public string? CheckBeacon(EdgeIoT.Protocol.Messaging.TimeBeacon beacon)
    {
        ArgumentNullException.ThrowIfNull(beacon);

        KeyList? keys = Verifier.Keys;
        string? error = TimeBeaconSignature.Check(
            _signatureVerifier, keys!, keys?.EventId ?? 0, beacon.Epoch, beacon.HubTimeMs, beacon.Kid!, beacon.Signature!);
        if (error is not null)
        {
            return error;
        }

        lock (_beaconGate)
        {
            if (beacon.Epoch < _lastBeaconEpoch || (beacon.Epoch == _lastBeaconEpoch && beacon.HubTimeMs <= _lastBeaconHubTimeMs))
            {
                return $"time beacon (epoch {beacon.Epoch}, hubTimeMs {beacon.HubTimeMs}) is not newer than the last one "
                    + $"(epoch {_lastBeaconEpoch}, hubTimeMs {_lastBeaconHubTimeMs})";
            }

            _lastBeaconEpoch = beacon.Epoch;
            _lastBeaconHubTimeMs = beacon.HubTimeMs;
        }

        return null;
    }

    /// <summary>Latest snapshot, or null before the first one arrives.</summary>
    public EntitlementSnapshot? Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Latest offline policy, or null before the first one arrives.</summary>
    public OfflinePolicy? Policy => Volatile.Read(ref _policy);

    /// <summary>Loads what an earlier run persisted; invalid files are logged and skipped.</summary>
    public void LoadPersisted()
    {
        if (_folder is null)
        {
            return;
        }

        TryLoad(KeysFile, bytes => TryApplyKeys(bytes, persist: false));
        TryLoad(SnapshotFile, bytes => TryApplySnapshot(bytes, persist: false));
        TryLoad(PolicyFile, bytes => TryApplyPolicy(bytes, persist: false));
        TryLoad(DelegationsFile, bytes => TryApplyDelegations(bytes, persist: false));
    }

    /// <summary>Installs a root-signed key list; false when it is invalid, for another event or not newer.</summary>
    public bool TryApplyKeys(byte[] signedList, bool persist = true)
    {
        KeyList? keys = KeyList.TryParseSigned(signedList, _rootPublicKey, _signatureVerifier, out string? error);
        if (keys is null)
        {
            _logger.LogWarning("Rejected key list from the hub: {Error}", error);
            return false;
        }

        if (!Verifier.TryInstallKeys(keys))
        {
            _logger.LogDebug(
                "Ignored key list version {Version} for event {EventId}: not newer or for another event",
                keys.Version,
                keys.EventId);
            return false;
        }

        _logger.LogInformation("Installed key list version {Version} with {Count} keys", keys.Version, keys.Count);
        Persist(KeysFile, signedList, persist);
        Installed?.Invoke(this, KeysFile);
        return true;
    }

    /// <summary>
    /// Installs the certificates of a delegation list, each checked against the installed key
    /// list. Returns false when the list is malformed or for another event.
    /// </summary>
    public bool TryApplyDelegations(byte[] list, bool persist = true)
    {
        int installed = Verifier.InstallDelegations(list, out string? error);
        if (installed < 0)
        {
            _logger.LogWarning("Rejected delegation list from the hub: {Error}", error);
            return false;
        }

        if (error is not null)
        {
            _logger.LogWarning("Delegation list from the hub: {Error}", error);
        }

        _logger.LogInformation("Installed {Count} delegation certificates", installed);
        Persist(DelegationsFile, list, persist);
        Installed?.Invoke(this, DelegationsFile);
        return true;
    }

    /// <summary>Installs an entitlement snapshot; false when it is invalid, for another event or older.</summary>
    public bool TryApplySnapshot(byte[] data, bool persist = true)
    {
        EntitlementSnapshot? snapshot = EntitlementSnapshot.TryParse(data, out string? error);
        if (snapshot is null)
        {
            _logger.LogWarning("Rejected entitlement snapshot from the hub: {Error}", error);
            return false;
        }

        EntitlementSnapshot? current = Snapshot;
        if (current is not null && snapshot.Version < current.Version)
        {
            _logger.LogDebug(
                "Ignored snapshot version {Version}, older than {Current}", snapshot.Version, current.Version);
            return false;
        }

        Volatile.Write(ref _snapshot, snapshot);
        _logger.LogInformation(
            "Installed entitlement snapshot version {Version} with {Count} records", snapshot.Version, snapshot.Count);
        Persist(SnapshotFile, data, persist);
        Installed?.Invoke(this, SnapshotFile);
        return true;
    }

    /// <summary>Installs an offline policy (JSON); false when it does not parse.</summary>
    public bool TryApplyPolicy(byte[] utf8Json, bool persist = true)
    {
        OfflinePolicy? policy = OfflinePolicy.TryParse(utf8Json, out string? error);
        if (policy is null)
        {
            _logger.LogWarning("Rejected offline policy from the hub: {Error}", error);
            return false;
        }

        Volatile.Write(ref _policy, policy);
        _logger.LogInformation("Installed offline policy {PolicyVersion}", policy.VersionLabel);
        Persist(PolicyFile, utf8Json, persist);
        Installed?.Invoke(this, PolicyFile);
        return true;
    }

    private void TryLoad(string name, Func<byte[], bool> apply)
    {
        string path = Path.Combine(_folder!, name);
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            apply(File.ReadAllBytes(path));
        }
        catch (IOException exception)
        {
            _logger.LogWarning(exception, "Could not read {Path}; waiting for the hub to send it again", path);
        }
    }

    private void Persist(string name, byte[] bytes, bool persist)
    {
        if (!persist || _folder is null)
        {
            return;
        }

        string path = Path.Combine(_folder, name);
        string temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(_folder);
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException exception)
        {
            _logger.LogWarning(exception, "Could not persist {Path}; it is kept in memory only", path);
        }
    }
}
