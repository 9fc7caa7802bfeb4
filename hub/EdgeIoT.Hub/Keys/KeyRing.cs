using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Clock;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Keys;

/// <summary>
/// The venue's keys. The root key signs only key lists. The event key signs event-long passes
/// and delegation certificates until the event end. Edge keys rotate and sign session tokens.
/// The rotating-code key is a secret that gates share to check passes. The edge key that signs next
/// is listed one full interval before it starts signing, a retired key stays listed until
/// every token it signed has expired (max lifetime + clock skew), and a revoked key stays
/// listed, flagged, so devices reject its tokens as key_revoked at once.
/// </summary>
public sealed partial class KeyRing : IDisposable
{
    private const string RootUsage = "root";
    private const string EdgeUsage = "edge";
    private const string EventUsage = "event";
    private const string RotatingCodeUsage = "rotating-code";

    private readonly HubDatabase _database;
    private readonly HubOptions _options;
    private readonly TimeProvider _time;
    private readonly RetirementClock _retirementClock;
    private readonly AuditLog _audit;
    private readonly ILogger<KeyRing> _logger;
    private readonly KeyEncryption _encryption;
    private readonly Lock _gate = new();
    private readonly List<SigningKey> _edgeKeys = [];
    private readonly HashSet<ulong> _revokedKids = [];
    private readonly HashSet<ulong> _wallClockKids = [];
    private SigningKey? _root;
    private SigningKey? _eventKey;
    private byte[]? _rotatingCodeKey;
    private KeyList? _keyList;
    private byte[] _signedKeyList = [];

    /// <param name="encryption">Encrypts the stored private keys; null or <see cref="KeyEncryption.None"/> stores them raw.</param>
    public KeyRing(
        HubDatabase database, HubOptions options, TimeProvider time, AuditLog audit, ILogger<KeyRing> logger,
        KeyEncryption? encryption = null)
    {
        _database = database;
        _options = options;
        _time = time;
        _retirementClock = new RetirementClock(time);
        _audit = audit;
        _logger = logger;
        _encryption = encryption ?? KeyEncryption.None;
    }

    /// <summary>Raised after the key list changed; the broker republishes it retained.</summary>
    public event Action? KeyListChanged;

    public byte[] RootPublicKey => Root.PublicKey;

    /// <summary>Current key list, for the hub's own token verifier.</summary>
    public KeyList KeyList
    {
        get
        {
            lock (_gate)
            {
                return _keyList ?? throw new InvalidOperationException("The key ring is not loaded yet.");
            }
        }
    }

    /// <summary>Current key list signed by the venue root, as published to devices.</summary>
    public byte[] SignedKeyList
    {
        get
        {
            lock (_gate)
            {
                return _signedKeyList;
            }
        }
    }

    /// <summary>Signs passes and delegation certificates; valid from its creation to the event end.</summary>
    public SigningKey EventKey => _eventKey ?? throw new InvalidOperationException("The key ring is not loaded yet.");

    /// <summary>
    /// The event's 32-byte rotating-code key: pass secrets derive from it, and every gate
    /// stores it to check rotating codes. It is secret, unlike everything in the key list.
    /// </summary>
    public byte[] RotatingCodeKey => _rotatingCodeKey ?? throw new InvalidOperationException("The key ring is not loaded yet.");

    private SigningKey Root => _root ?? throw new InvalidOperationException("The key ring is not loaded yet.");

    /// <summary>Loads the keys from SQLite, creating the root key on first start, and rotates.</summary>
    public void Load()
    {
        lock (_gate)
        {
            using SqliteConnection connection = _database.Open();
            EncryptRawKeys(connection);
            _root = LoadKeys(connection, RootUsage).FirstOrDefault(entry => !entry.Revoked).Key ?? CreateRoot(connection);
            _eventKey = LoadKeys(connection, EventUsage).FirstOrDefault(entry => !entry.Revoked).Key ?? CreateEventKey(connection);
            _rotatingCodeKey = LoadRotatingCodeKey(connection) ?? CreateRotatingCodeKey(connection);
            foreach ((SigningKey key, bool revoked) in LoadKeys(connection, EdgeUsage))
            {
                _edgeKeys.Add(key);
                if (revoked)
                {
                    _revokedKids.Add(key.KeyId);
                }
            }

            RotateLocked(connection, forcePublish: true);
        }
    }

    /// <summary>Adds the next key and drops expired ones when due. Returns true when the key list changed.</summary>
    public bool Rotate()
    {
        bool changed;
        lock (_gate)
        {
            using SqliteConnection connection = _database.Open();
            changed = RotateLocked(connection, forcePublish: false);
        }

        if (changed)
        {
            KeyListChanged?.Invoke();
        }

        return changed;
    }

    /// <summary>
    /// Returns the edge key that signs at <paramref name="now"/>: of the unrevoked keys whose
    /// window covers it, the one that started last, so a forced rotation takes over at once.
    /// </summary>
    public SigningKey SigningKeyAt(DateTimeOffset now)
    {
        lock (_gate)
        {
            return CurrentLocked(now)
                ?? throw new InvalidOperationException(
                    $"No edge signing key covers {now:O}; the key rotation did not run.");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _root?.Dispose();
            _eventKey?.Dispose();
            _edgeKeys.ForEach(key => key.Dispose());
            _edgeKeys.Clear();
        }
    }

    // While the hub holds a wall clock step, keys are kept for both times: venue time signs now,
    // and the wall clock's time signs once the step is adopted. Listing the wall clock's keys
    // during the hold means devices have them before they sign.
    private bool RotateLocked(SqliteConnection connection, bool forcePublish)
    {
        VenueClockReading reading = ReadClock();
        DateTimeOffset now = reading.Now;
        TimeSpan retention = TimeSpan.FromSeconds(TokenLayout.MaxLifetimeSeconds + _options.Keys.ClockSkewSeconds);

        DateTimeOffset retainedFrom = _retirementClock.Now(now);
        DateTimeOffset retireBefore = (reading.WallClock < retainedFrom ? reading.WallClock : retainedFrom) - retention;
        bool changed = RetireLocked(retireBefore);
        changed |= EnsureSigningKeysLocked(connection, now, forWallClock: false);
        if (reading.StepHeld)
        {
            changed |= EnsureSigningKeysLocked(connection, reading.WallClock, forWallClock: true);
        }
        else
        {
            changed |= DropWallClockKeysLocked(connection, now);
        }

        if (changed || forcePublish)
        {
            DeleteRetired(connection, retireBefore);
            PublishLocked(connection);
        }

        return changed;
    }

    private VenueClockReading ReadClock()
    {
        if (_time is VenueClock venue)
        {
            return venue.Read();
        }

        DateTimeOffset now = _time.GetUtcNow();
        return new VenueClockReading(now, now, StepHeld: false, TimeSpan.Zero, AdoptedSteps: 0);
    }

    // Ensures that a key covers 'now' and that its successor is listed one full interval before
    // it starts signing. Returns true when a key was created.
    private bool EnsureSigningKeysLocked(SqliteConnection connection, DateTimeOffset now, bool forWallClock)
    {
        bool changed = false;
        SigningKey? current = CurrentLocked(now);
        if (current is null)
        {
            current = AddEdgeKeyLocked(connection, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()), forWallClock);
            changed = true;
        }

        if (CurrentLocked(current.NotAfter) is null)
        {
            AddEdgeKeyLocked(connection, current.NotAfter, forWallClock);
            changed = true;
        }

        return changed;
    }

    private SigningKey AddEdgeKeyLocked(SqliteConnection connection, DateTimeOffset notBefore, bool forWallClock)
    {
        SigningKey key = CreateEdgeKey(connection, notBefore);
        _edgeKeys.Add(key);
        if (forWallClock)
        {
            _wallClockKids.Add(key.KeyId);
        }

        return key;
    }

    // When a held step ends inside the hold, the keys made for the wall clock's time are not
    // needed. Those that start after the next interval never signed and never will, so they
    // leave the key list. After an adoption, the keys that sign on the adopted time stay.
    private bool DropWallClockKeysLocked(SqliteConnection connection, DateTimeOffset now)
    {
        if (_wallClockKids.Count == 0)
        {
            return false;
        }

        DateTimeOffset horizon = now + _options.Keys.RotationInterval;
        SigningKey[] unused = _edgeKeys
            .Where(key => _wallClockKids.Contains(key.KeyId) && key.NotBefore > horizon)
            .ToArray();
        foreach (SigningKey key in unused)
        {
            _edgeKeys.Remove(key);
            _revokedKids.Remove(key.KeyId);
            DeleteEdgeKey(connection, key.KeyId);
            _audit.Append(AuditKinds.KeyChange, AuditActors.Hub, new { change = "drop_unused", kid = KeyIds.ToHex(key.KeyId) });
            key.Dispose();
        }

        _wallClockKids.Clear();
        return unused.Length > 0;
    }

    private void PublishLocked(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        uint version = EntitlementStore.BumpMeta(connection, transaction, "key_list_version");
        transaction.Commit();

        KeyEntry[] entries = _edgeKeys
            .OrderBy(key => key.NotBefore)
            .Select(key => TokenIssuer.ToKeyEntry(key, revoked: _revokedKids.Contains(key.KeyId)))
            .Append(TokenIssuer.ToEventKeyEntry(EventKey))
            .ToArray();
        _keyList = new KeyList(version, _options.EventId, entries);
        _signedKeyList = TokenIssuer.SignKeyList(_keyList, Root);
        LogKeyListPublished(version, entries.Length);
        _audit.Append(AuditKinds.KeyChange, AuditActors.Hub, new
        {
            change = "key_list",
            version,
            kids = entries.Select(entry => KeyIds.ToHex(entry.KeyId)).ToArray(),
            revoked = entries.Where(entry => entry.Revoked).Select(entry => KeyIds.ToHex(entry.KeyId)).ToArray(),
        });
    }

    private SigningKey CreateRoot(SqliteConnection connection)
    {
        // The root key signs only key lists, which carry no time window, so its window is unbounded.
        SigningKey root = SigningKey.Generate(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
        Store(connection, root, RootUsage);
        LogRootKeyCreated(KeyIds.ToHex(root.KeyId));
        AuditKeyCreated(root, RootUsage);
        return root;
    }

    private SigningKey CreateEventKey(SqliteConnection connection)
    {
        DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        DateTimeOffset eventEnd = _options.EventEnd ?? now;
        SigningKey key = SigningKey.Generate(now, eventEnd > now ? eventEnd : now);
        Store(connection, key, EventUsage);
        LogEventKeyCreated(KeyIds.ToHex(key.KeyId), key.NotAfter);
        return key;
    }

    private byte[] CreateRotatingCodeKey(SqliteConnection connection)
    {
        byte[] key = RandomNumberGenerator.GetBytes(RotatingCode.KeyLength);
        long kid = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO keys (kid, private_key, not_before_ms, not_after_ms, usage)
            VALUES ($kid, $key, 0, $notAfter, $usage);
            """;
        command.Parameters.AddWithValue("$kid", kid);
        command.Parameters.AddWithValue("$key", _encryption.Protect(key, kid, RotatingCodeUsage));
        command.Parameters.AddWithValue("$notAfter", long.MaxValue);
        command.Parameters.AddWithValue("$usage", RotatingCodeUsage);
        command.ExecuteNonQuery();
        return key;
    }

    private byte[]? LoadRotatingCodeKey(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT kid, private_key FROM keys WHERE usage = $usage LIMIT 1;";
        command.Parameters.AddWithValue("$usage", RotatingCodeUsage);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? _encryption.Unprotect((byte[])reader.GetValue(1), reader.GetInt64(0), RotatingCodeUsage) : null;
    }

    private SigningKey CreateEdgeKey(SqliteConnection connection, DateTimeOffset notBefore)
    {
        SigningKey key = SigningKey.Generate(notBefore, notBefore + _options.Keys.RotationInterval);
        Store(connection, key, EdgeUsage);
        LogEdgeKeyCreated(KeyIds.ToHex(key.KeyId), key.NotBefore, key.NotAfter);
        AuditKeyCreated(key, EdgeUsage);
        return key;
    }

    // Private keys are stored raw unless a key-encryption key is configured (Hub:Keys:EncryptionKeyFile).
    private void Store(SqliteConnection connection, SigningKey key, string usage)
    {
        long kid = unchecked((long)key.KeyId);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO keys (kid, private_key, not_before_ms, not_after_ms, usage)
            VALUES ($kid, $key, $notBefore, $notAfter, $usage);
            """;
        command.Parameters.AddWithValue("$kid", kid);
        command.Parameters.AddWithValue("$key", _encryption.Protect(key.ExportPrivateKey(), kid, usage));
        command.Parameters.AddWithValue("$notBefore", ToMs(key.NotBefore));
        command.Parameters.AddWithValue("$notAfter", ToMs(key.NotAfter));
        command.Parameters.AddWithValue("$usage", usage);
        command.ExecuteNonQuery();
    }

    private List<(SigningKey Key, bool Revoked)> LoadKeys(SqliteConnection connection, string usage)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT private_key, not_before_ms, not_after_ms, revoked, kid FROM keys
            WHERE usage = $usage ORDER BY not_before_ms;
            """;
        command.Parameters.AddWithValue("$usage", usage);
        using SqliteDataReader reader = command.ExecuteReader();
        var keys = new List<(SigningKey, bool)>();
        while (reader.Read())
        {
            byte[] privateKey = _encryption.Unprotect((byte[])reader.GetValue(0), reader.GetInt64(4), usage);
            SigningKey key = SigningKey.Import(privateKey, FromMs(reader.GetInt64(1)), FromMs(reader.GetInt64(2)));
            CryptographicOperations.ZeroMemory(privateKey);
            keys.Add((key, reader.GetInt64(3) != 0));
        }

        return keys;
    }

    // A hub that gets a key-encryption key after it stored raw keys encrypts them at its next start.
    private void EncryptRawKeys(SqliteConnection connection)
    {
        if (!_encryption.Enabled)
        {
            return;
        }

        var raw = new List<(long Kid, string Usage, byte[] Key)>();
        using (SqliteCommand select = connection.CreateCommand())
        {
            select.CommandText = "SELECT kid, usage, private_key FROM keys;";
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                byte[] stored = (byte[])reader.GetValue(2);
                if (!KeyEncryption.IsEncrypted(stored))
                {
                    raw.Add((reader.GetInt64(0), reader.GetString(1), stored));
                }
            }
        }

        if (raw.Count == 0)
        {
            return;
        }

        using SqliteTransaction transaction = connection.BeginTransaction();
        foreach ((long kid, string usage, byte[] key) in raw)
        {
            using SqliteCommand update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE keys SET private_key = $key WHERE kid = $kid AND usage = $usage;";
            update.Parameters.AddWithValue("$key", _encryption.Protect(key, kid, usage));
            update.Parameters.AddWithValue("$kid", kid);
            update.Parameters.AddWithValue("$usage", usage);
            update.ExecuteNonQuery();
        }

        transaction.Commit();
        LogRawKeysEncrypted(raw.Count, _encryption.Source);
    }

    private static void DeleteEdgeKey(SqliteConnection connection, ulong keyId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM keys WHERE usage = $usage AND kid = $kid;";
        command.Parameters.AddWithValue("$usage", EdgeUsage);
        command.Parameters.AddWithValue("$kid", unchecked((long)keyId));
        command.ExecuteNonQuery();
    }

    private static void DeleteRetired(SqliteConnection connection, DateTimeOffset retiredBefore)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM keys WHERE usage = $usage AND not_after_ms < $before;";
        command.Parameters.AddWithValue("$usage", EdgeUsage);
        command.Parameters.AddWithValue("$before", ToMs(retiredBefore));
        command.ExecuteNonQuery();
    }

    private static long ToMs(DateTimeOffset time) =>
        time == DateTimeOffset.MaxValue ? long.MaxValue : time.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) =>
        ms == long.MaxValue ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(ms);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Created venue root key {KeyId}")]
    private partial void LogRootKeyCreated(string keyId);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information,
        Message = "Created edge signing key {KeyId}, signing from {NotBefore} to {NotAfter}")]
    private partial void LogEdgeKeyCreated(string keyId, DateTimeOffset notBefore, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information,
        Message = "Key list version {Version} holds {Count} keys")]
    private partial void LogKeyListPublished(uint version, int count);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information,
        Message = "Created event key {KeyId}, signing passes and delegations until {NotAfter}")]
    private partial void LogEventKeyCreated(string keyId, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Revoked edge signing key {KeyId}")]
    private partial void LogKeyRevoked(string keyId);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information,
        Message = "Encrypted {Count} private keys that hub.db held unencrypted, with the key from {Source}")]
    private partial void LogRawKeysEncrypted(int count, string? source);
}
