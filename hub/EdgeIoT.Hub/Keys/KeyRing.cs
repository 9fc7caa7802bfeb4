using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Audit;
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
    private readonly Lock _gate = new();
    private readonly List<SigningKey> _edgeKeys = [];
    private readonly HashSet<ulong> _revokedKids = [];
    private SigningKey? _root;
    private SigningKey? _eventKey;
    private byte[]? _rotatingCodeKey;
    private KeyList? _keyList;
    private byte[] _signedKeyList = [];

    public KeyRing(HubDatabase database, HubOptions options, TimeProvider time, AuditLog audit, ILogger<KeyRing> logger)
    {
        _database = database;
        _options = options;
        _time = time;
        _retirementClock = new RetirementClock(time);
        _audit = audit;
        _logger = logger;
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

    private bool RotateLocked(SqliteConnection connection, bool forcePublish)
    {
        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan retention = TimeSpan.FromSeconds(TokenLayout.MaxLifetimeSeconds + _options.Keys.ClockSkewSeconds);

        DateTimeOffset retireBefore = _retirementClock.Now(now) - retention;
        bool changed = RetireLocked(retireBefore);
        if (CurrentLocked(now) is null)
        {
            DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
            _edgeKeys.Add(CreateEdgeKey(connection, start));
            changed = true;
        }

        SigningKey latest = _edgeKeys.Where(key => !_revokedKids.Contains(key.KeyId)).MaxBy(key => key.NotAfter)!;
        if (latest.NotBefore <= now)
        {
            _edgeKeys.Add(CreateEdgeKey(connection, latest.NotAfter));
            changed = true;
        }

        if (changed || forcePublish)
        {
            DeleteRetired(connection, retireBefore);
            PublishLocked(connection);
        }

        return changed;
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

    private static byte[] CreateRotatingCodeKey(SqliteConnection connection)
    {
        byte[] key = RandomNumberGenerator.GetBytes(RotatingCode.KeyLength);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO keys (kid, private_key, not_before_ms, not_after_ms, usage)
            VALUES ($kid, $key, 0, $notAfter, $usage);
            """;
        command.Parameters.AddWithValue("$kid", BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)));
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$notAfter", long.MaxValue);
        command.Parameters.AddWithValue("$usage", RotatingCodeUsage);
        command.ExecuteNonQuery();
        return key;
    }

    private static byte[]? LoadRotatingCodeKey(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT private_key FROM keys WHERE usage = $usage LIMIT 1;";
        command.Parameters.AddWithValue("$usage", RotatingCodeUsage);
        return command.ExecuteScalar() as byte[];
    }

    private SigningKey CreateEdgeKey(SqliteConnection connection, DateTimeOffset notBefore)
    {
        SigningKey key = SigningKey.Generate(notBefore, notBefore + _options.Keys.RotationInterval);
        Store(connection, key, EdgeUsage);
        LogEdgeKeyCreated(KeyIds.ToHex(key.KeyId), key.NotBefore, key.NotAfter);
        AuditKeyCreated(key, EdgeUsage);
        return key;
    }

    // NOTE: private keys are stored raw; at-rest encryption (an OS key store or a sealed file) is missing.
    private static void Store(SqliteConnection connection, SigningKey key, string usage)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO keys (kid, private_key, not_before_ms, not_after_ms, usage)
            VALUES ($kid, $key, $notBefore, $notAfter, $usage);
            """;
        command.Parameters.AddWithValue("$kid", unchecked((long)key.KeyId));
        command.Parameters.AddWithValue("$key", key.ExportPrivateKey());
        command.Parameters.AddWithValue("$notBefore", ToMs(key.NotBefore));
        command.Parameters.AddWithValue("$notAfter", ToMs(key.NotAfter));
        command.Parameters.AddWithValue("$usage", usage);
        command.ExecuteNonQuery();
    }

    private static List<(SigningKey Key, bool Revoked)> LoadKeys(SqliteConnection connection, string usage)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT private_key, not_before_ms, not_after_ms, revoked FROM keys
            WHERE usage = $usage ORDER BY not_before_ms;
            """;
        command.Parameters.AddWithValue("$usage", usage);
        using SqliteDataReader reader = command.ExecuteReader();
        var keys = new List<(SigningKey, bool)>();
        while (reader.Read())
        {
            SigningKey key = SigningKey.Import(
                (byte[])reader.GetValue(0), FromMs(reader.GetInt64(1)), FromMs(reader.GetInt64(2)));
            keys.Add((key, reader.GetInt64(3) != 0));
        }

        return keys;
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
}
