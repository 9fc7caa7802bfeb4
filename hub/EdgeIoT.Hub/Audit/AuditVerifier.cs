using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Audit;

/// <summary>
/// Walks the audit chain in sequence order and names the first entry that was altered, moved or
/// removed. Moving an entry (swapping rows or sequence numbers) changes the sequence number its
/// hash covers, so it shows as altered at the first moved position.
/// </summary>
public static class AuditVerifier
{
    public const string Altered = "altered";
    public const string Removed = "removed";

    /// <summary>Reads the whole chain through <paramref name="connection"/> and checks every link.</summary>
    public static AuditVerification Verify(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);

        (long headSeq, byte[] headHash) = AuditChain.ReadHead(connection, transaction: null);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT seq, time_ms, kind, actor, payload, prev_hash, hash FROM audit ORDER BY seq;";
        using SqliteDataReader reader = command.ExecuteReader();

        long expected = 1;
        byte[] previousHash = AuditChain.Genesis();
        while (reader.Read())
        {
            AuditEntry entry = Read(reader);
            if (entry.Seq != expected)
            {
                string where = expected == 1 ? $"the chain starts at {entry.Seq}" : $"the entry after {expected - 1} is {entry.Seq}";
                return Fail(expected - 1, headSeq, headHash, expected, Removed, $"Audit entry {expected} was removed: {where}.");
            }

            bool selfConsistent = Equal(entry.Hash, Recompute(entry));
            if (!Equal(entry.PreviousHash, previousHash))
            {
                // When this entry is intact, its predecessor was rewritten together with its hash;
                // otherwise this entry's own link was changed.
                return selfConsistent
                    ? Fail(expected, headSeq, headHash, entry.Seq - 1, Altered,
                        $"Audit entry {entry.Seq - 1} was altered: its hash no longer matches the link stored in entry {entry.Seq}.")
                    : Fail(expected, headSeq, headHash, entry.Seq, Altered,
                        $"Audit entry {entry.Seq} was altered or moved: neither its content nor its link to entry {entry.Seq - 1} matches.");
            }

            if (!selfConsistent)
            {
                return Fail(expected, headSeq, headHash, entry.Seq, Altered,
                    $"Audit entry {entry.Seq} was altered or moved: its content no longer matches its hash.");
            }

            previousHash = entry.Hash;
            expected++;
        }

        return CheckHead(expected - 1, previousHash, headSeq, headHash);
    }

    private static AuditVerification CheckHead(long lastSeq, byte[] lastHash, long headSeq, byte[] headHash)
    {
        if (headSeq > lastSeq)
        {
            return Fail(lastSeq, headSeq, headHash, lastSeq + 1, Removed,
                $"Audit entry {lastSeq + 1} was removed: the chain ends at {lastSeq} but its head records {headSeq}.");
        }

        if (headSeq < lastSeq || !Equal(headHash, lastHash))
        {
            // The head was rolled back or rewritten; the rows themselves link up, so the last
            // entry is the one whose record no longer matches.
            return Fail(lastSeq, headSeq, headHash, lastSeq, Altered,
                $"Audit entry {lastSeq} was altered: the recorded head ({headSeq}) does not match the last entry.");
        }

        return new AuditVerification
        {
            Valid = true,
            EntriesChecked = lastSeq,
            HeadSeq = headSeq,
            HeadHash = Convert.ToHexStringLower(headHash),
            Detail = lastSeq == 0 ? "The audit log is empty." : $"All {lastSeq} audit entries are intact.",
        };
    }

    private static AuditVerification Fail(
        long checkedCount, long headSeq, byte[] headHash, long firstBad, string problem, string detail) => new()
    {
        Valid = false,
        EntriesChecked = checkedCount,
        HeadSeq = headSeq,
        HeadHash = Convert.ToHexStringLower(headHash),
        FirstBadSeq = firstBad,
        Problem = problem,
        Detail = detail,
    };

    // Columns are read leniently: a value of the wrong type is tampering, which the hash check
    // reports as an altered entry, not a crash of the verifier.
    private static AuditEntry Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetValue(1) is long timeMs ? timeMs : long.MinValue,
        Text(reader.GetValue(2)),
        Text(reader.GetValue(3)),
        Text(reader.GetValue(4)),
        reader.GetValue(5) as byte[] ?? [],
        reader.GetValue(6) as byte[] ?? []);

    private static string Text(object value) =>
        value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    private static byte[] Recompute(AuditEntry entry) =>
        AuditChain.ComputeHash(entry.PreviousHash, entry.Seq, entry.TimeMs, entry.Kind, entry.Actor, entry.Payload);

    private static bool Equal(byte[] left, byte[] right) => CryptographicOperations.FixedTimeEquals(left, right);
}
