using System.Globalization;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Protocol.Crypto;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Keys;

/// <summary>The operator's key commands: list, forced rotation and revocation.</summary>
public sealed partial class KeyRing
{
    /// <summary>Returns the root key, the event key and every listed edge key, oldest first.</summary>
    public IReadOnlyList<KeyInfo> List()
    {
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            SigningKey? current = CurrentLocked(now);
            var keys = new List<KeyInfo>
            {
                Describe(Root, RootUsage, revoked: false, signing: false),
                Describe(EventKey, EventUsage, revoked: false, signing: false),
            };
            keys.AddRange(_edgeKeys
                .OrderBy(key => key.NotBefore)
                .Select(key => Describe(key, EdgeUsage, _revokedKids.Contains(key.KeyId), ReferenceEquals(key, current))));
            return keys;
        }
    }

    /// <summary>
    /// Starts a new edge key now. The previous key stays listed until its tokens expire, so
    /// guests holding them are still admitted; only new tokens use the new key.
    /// </summary>
    public KeyInfo RotateNow(string actor)
    {
        KeyInfo created;
        lock (_gate)
        {
            using SqliteConnection connection = _database.Open();
            DateTimeOffset now = _time.GetUtcNow();
            SigningKey key = CreateEdgeKey(connection, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()));
            _edgeKeys.Add(key);
            _audit.Append(AuditKinds.KeyChange, actor, new { change = "rotate", kid = KeyIds.ToHex(key.KeyId) });
            RotateLocked(connection, forcePublish: true);
            created = Describe(key, EdgeUsage, revoked: false, signing: true);
        }

        KeyListChanged?.Invoke();
        return created;
    }

    /// <summary>
    /// Parses a kid as <see cref="List"/> and the key list show it: exactly 16 hex digits.
    /// </summary>
    public static bool TryParseKeyId(string? text, out ulong keyId)
    {
        keyId = 0;
        return text is { Length: 16 }
            && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId);
    }

    /// <summary>
    /// Revokes an edge key at once: it stops signing, stays in the key list flagged as revoked
    /// until it would have retired, so devices reject every token it signed as key_revoked, and
    /// a new key signs from now when it was the signing one. Returns false when no listed edge key
    /// has this kid or it is already revoked. The root and event keys cannot be revoked.
    /// </summary>
    public bool Revoke(ulong keyId, string actor = AuditActors.Operator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);

        lock (_gate)
        {
            if (!_edgeKeys.Any(key => key.KeyId == keyId) || !_revokedKids.Add(keyId))
            {
                return false;
            }

            using SqliteConnection connection = _database.Open();
            using (SqliteCommand command = connection.CreateCommand())
            {
                command.CommandText = "UPDATE keys SET revoked = 1 WHERE kid = $kid;";
                command.Parameters.AddWithValue("$kid", unchecked((long)keyId));
                command.ExecuteNonQuery();
            }

            LogKeyRevoked(KeyIds.ToHex(keyId));
            _audit.Append(AuditKinds.KeyChange, actor, new { change = "revoke", kid = KeyIds.ToHex(keyId) });
            RotateLocked(connection, forcePublish: true);
        }

        KeyListChanged?.Invoke();
        return true;
    }

    private SigningKey? CurrentLocked(DateTimeOffset now) => _edgeKeys
        .Where(key => key.NotBefore <= now && now < key.NotAfter && !_revokedKids.Contains(key.KeyId))
        .MaxBy(key => key.NotBefore);

    private bool RetireLocked(DateTimeOffset retiredBefore)
    {
        SigningKey[] retired = _edgeKeys.Where(key => key.NotAfter < retiredBefore).ToArray();
        foreach (SigningKey key in retired)
        {
            _edgeKeys.Remove(key);
            _revokedKids.Remove(key.KeyId);
            _audit.Append(AuditKinds.KeyChange, AuditActors.Hub, new { change = "retire", kid = KeyIds.ToHex(key.KeyId) });
            key.Dispose();
        }

        return retired.Length > 0;
    }

    private void AuditKeyCreated(SigningKey key, string usage) =>
        _audit.Append(AuditKinds.KeyChange, AuditActors.Hub, new
        {
            change = "create",
            usage,
            kid = KeyIds.ToHex(key.KeyId),
            notBeforeMs = ToMs(key.NotBefore),
            notAfterMs = ToMs(key.NotAfter),
        });

    private static KeyInfo Describe(SigningKey key, string usage, bool revoked, bool signing) => new(
        KeyIds.ToHex(key.KeyId),
        usage,
        ToMs(key.NotBefore),
        ToMs(key.NotAfter),
        revoked,
        signing,
        Convert.ToBase64String(key.PublicKey));
}
