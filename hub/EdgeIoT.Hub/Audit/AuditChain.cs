using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Audit;

/// <summary>
/// Appends entries to the hash chain in the audit table inside a caller's write transaction, so
/// the event queue can chain its decisions in the same commit as the events. The head (last
/// sequence number and hash) is kept in audit_head and read there, not from the last row, so a
/// deleted tail entry shows up as a gap instead of being silently overwritten.
/// </summary>
public static class AuditChain
{
    public const int HashLength = 32;

    private static readonly byte[] GenesisHash = new byte[HashLength];

    /// <summary>
    /// Computes SHA-256 over previous hash (32 bytes), seq and time (8 bytes each, big-endian),
    /// then kind, actor and payload, each as a 4-byte big-endian length and its UTF-8 bytes.
    /// </summary>
    public static byte[] ComputeHash(byte[] previousHash, long seq, long timeMs, string kind, string actor, string payload)
    {
        ArgumentNullException.ThrowIfNull(previousHash);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        hash.AppendData(previousHash);
        BinaryPrimitives.WriteInt64BigEndian(number, seq);
        hash.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, timeMs);
        hash.AppendData(number);
        AppendText(hash, kind);
        AppendText(hash, actor);
        AppendText(hash, payload);
        return hash.GetHashAndReset();
    }

    /// <summary>Appends the drafts in order inside <paramref name="transaction"/>, which must be a write transaction.</summary>
    public static void Append(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<AuditDraft> drafts)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(drafts);

        if (drafts.Count == 0)
        {
            return;
        }

        (long seq, byte[] previous) = ReadAppendPoint(connection, transaction);
        using SqliteCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO audit (seq, time_ms, kind, actor, payload, prev_hash, hash)
            VALUES ($seq, $time, $kind, $actor, $payload, $prev, $hash);
            """;
        SqliteParameter seqParameter = insert.Parameters.Add("$seq", SqliteType.Integer);
        SqliteParameter time = insert.Parameters.Add("$time", SqliteType.Integer);
        SqliteParameter kind = insert.Parameters.Add("$kind", SqliteType.Text);
        SqliteParameter actor = insert.Parameters.Add("$actor", SqliteType.Text);
        SqliteParameter payload = insert.Parameters.Add("$payload", SqliteType.Text);
        SqliteParameter prev = insert.Parameters.Add("$prev", SqliteType.Blob);
        SqliteParameter hash = insert.Parameters.Add("$hash", SqliteType.Blob);

        foreach (AuditDraft draft in drafts)
        {
            seq++;
            byte[] entryHash = ComputeHash(previous, seq, draft.TimeMs, draft.Kind, draft.Actor, draft.Payload);
            seqParameter.Value = seq;
            time.Value = draft.TimeMs;
            kind.Value = draft.Kind;
            actor.Value = draft.Actor;
            payload.Value = draft.Payload;
            prev.Value = previous;
            hash.Value = entryHash;
            insert.ExecuteNonQuery();
            previous = entryHash;
        }

        WriteHead(connection, transaction, seq, previous);
    }

    /// <summary>Returns the recorded head, or (0, 32 zero bytes) for an empty chain.</summary>
    public static (long Seq, byte[] Hash) ReadHead(SqliteConnection connection, SqliteTransaction? transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);

        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT seq, hash FROM audit_head WHERE id = 1;";
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), (byte[])reader.GetValue(1)) : (0, Genesis());
    }

    /// <summary>Returns the hash that the first entry links to: 32 zero bytes.</summary>
    public static byte[] Genesis() => (byte[])GenesisHash.Clone();

    // A tampered head (deleted, or set below the last row) must not make appends collide with
    // existing sequence numbers, because the event queue commits in the same transaction and a
    // failed append would stop every gate's events. Appends continue after the later of the two;
    // the verifier reports the tampering.
    private static (long Seq, byte[] Hash) ReadAppendPoint(SqliteConnection connection, SqliteTransaction transaction)
    {
        (long headSeq, byte[] headHash) = ReadHead(connection, transaction);
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1;";
        using SqliteDataReader reader = command.ExecuteReader();
        if (reader.Read() && reader.GetInt64(0) > headSeq)
        {
            return (reader.GetInt64(0), (byte[])reader.GetValue(1));
        }

        return (headSeq, headHash);
    }

    private static void WriteHead(SqliteConnection connection, SqliteTransaction transaction, long seq, byte[] hash)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO audit_head (id, seq, hash) VALUES (1, $seq, $hash)
            ON CONFLICT (id) DO UPDATE SET seq = $seq, hash = $hash;
            """;
        command.Parameters.AddWithValue("$seq", seq);
        command.Parameters.AddWithValue("$hash", hash);
        command.ExecuteNonQuery();
    }

    private static void AppendText(IncrementalHash hash, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
