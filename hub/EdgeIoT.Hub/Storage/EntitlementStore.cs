using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hub.Audit;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>
/// Entitlements, consumptions, delegations and the snapshot version counter. Every change
/// records the changed ids under the new snapshot version (for delta sync) and an audit entry,
/// in the same transaction.
/// </summary>
public sealed partial class EntitlementStore(HubDatabase database, TimeProvider time)
{
    private const string SelectColumns = """
        SELECT id, order_code, attendee_name, email, ticket_type, tier, payment_status, zone, seat,
               role, single_entry, epoch, cancelled, spend_allowance_minor FROM entitlements
        """;

    public Entitlement? FindByOrderCode(string orderCode)
    {
        using SqliteConnection connection = database.Open();
        return QuerySingle(connection, $"{SelectColumns} WHERE order_code = $key;", orderCode);
    }

    public Entitlement? FindById(uint id)
    {
        using SqliteConnection connection = database.Open();
        return QuerySingle(connection, $"{SelectColumns} WHERE id = $key;", (long)id);
    }

    public IReadOnlyList<Entitlement> ReadAll()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"{SelectColumns} ORDER BY id;";
        using SqliteDataReader reader = command.ExecuteReader();
        var all = new List<Entitlement>();
        while (reader.Read())
        {
            all.Add(ReadEntitlement(reader));
        }

        return all;
    }

    public long Count()
    {
        using SqliteConnection connection = database.Open();
        return (long)(HubDatabase.Scalar(connection, "SELECT COUNT(*) FROM entitlements;") ?? 0L);
    }

    public uint SnapshotVersion()
    {
        using SqliteConnection connection = database.Open();
        return ReadMeta(connection, "snapshot_version", null);
    }

    /// <summary>
    /// Inserts new order codes with ids continuing after the highest id, in input order, and
    /// updates known ones in place, so ids stay stable across re-imports. Cancelling an
    /// entitlement raises its epoch, which revokes every token issued before. Rolls back and
    /// returns null when the table would hold fewer than <paramref name="minimumCount"/> rows.
    /// </summary>
    public ImportOutcome? Import(IReadOnlyList<Entitlement> rows, int minimumCount)
    {
        ArgumentNullException.ThrowIfNull(rows);

        using SqliteConnection connection = database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        uint nextId = NextId(connection, transaction);
        var changed = new List<uint>(rows.Count);
        foreach (Entitlement row in rows)
        {
            Entitlement? existing = QuerySingle(
                connection, $"{SelectColumns} WHERE order_code = $key;", row.OrderCode!, transaction);
            if (existing is null)
            {
                changed.Add(nextId);
                Insert(connection, transaction, row with { Id = nextId++ });
            }
            else
            {
                bool newlyCancelled = row.Cancelled && !existing.Cancelled;
                ushort epoch = newlyCancelled ? (ushort)(existing.Epoch + 1) : existing.Epoch;
                Update(connection, transaction, row with { Id = existing.Id, Epoch = epoch });
                changed.Add(existing.Id);
            }
        }

        long total = (long)(HubDatabase.Scalar(connection, "SELECT COUNT(*) FROM entitlements;", transaction) ?? 0L);
        if (total < minimumCount)
        {
            transaction.Rollback();
            return null;
        }

        uint version = BumpMeta(connection, transaction, "snapshot_version");
        RecordChanges(connection, transaction, version, changed);
        AuditChange(connection, transaction, new { change = "import", version, rows = rows.Count, total });
        transaction.Commit();
        return new ImportOutcome(rows.Count, version, total);
    }

    /// <summary>Adds an entitlement without an order code (walk-in, assistant) and bumps the snapshot version.</summary>
    public uint Add(Entitlement entitlement, uint? delegatedBy = null, long delegationExpiresMs = 0)
    {
        ArgumentNullException.ThrowIfNull(entitlement);

        using SqliteConnection connection = database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        uint id = NextId(connection, transaction);
        Insert(connection, transaction, entitlement with { Id = id });
        if (delegatedBy is uint creatorId)
        {
            using SqliteCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO delegations (assistant_id, creator_id, expires_ms) VALUES ($a, $c, $e);
                """;
            command.Parameters.AddWithValue("$a", (long)id);
            command.Parameters.AddWithValue("$c", (long)creatorId);
            command.Parameters.AddWithValue("$e", delegationExpiresMs);
            command.ExecuteNonQuery();
        }

        uint version = BumpMeta(connection, transaction, "snapshot_version");
        RecordChanges(connection, transaction, version, [id]);
        AuditChange(connection, transaction, new
        {
            change = "add",
            version,
            entitlementId = id,
            role = entitlement.Role.ToString(),
            spendAllowanceMinor = entitlement.SpendAllowanceMinor,
            delegatedBy,
            delegationExpiresMs = delegatedBy is null ? (long?)null : delegationExpiresMs,
        });
        transaction.Commit();
        return id;
    }

    /// <summary>Returns the creator and expiry of an assistant's delegation, or null when it has none.</summary>
    public (uint CreatorId, long ExpiresMs)? FindDelegation(uint assistantId)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT creator_id, expires_ms FROM delegations WHERE assistant_id = $id;";
        command.Parameters.AddWithValue("$id", (long)assistantId);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? ((uint)reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Returns every assistant's delegation: assistant, creator and expiry, by assistant id.</summary>
    public IReadOnlyList<(uint AssistantId, uint CreatorId, long ExpiresMs)> ListDelegations()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT assistant_id, creator_id, expires_ms FROM delegations ORDER BY assistant_id;";
        using SqliteDataReader reader = command.ExecuteReader();
        var delegations = new List<(uint, uint, long)>();
        while (reader.Read())
        {
            delegations.Add(((uint)reader.GetInt64(0), (uint)reader.GetInt64(1), reader.GetInt64(2)));
        }

        return delegations;
    }

    /// <summary>Returns the ids of single-entry entitlements that were admitted at least once.</summary>
    public HashSet<uint> ReadAdmittedSingleEntry()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT DISTINCT c.entitlement_id FROM consumptions c
            JOIN entitlements e ON e.id = c.entitlement_id WHERE e.single_entry = 1;
            """;
        using SqliteDataReader reader = command.ExecuteReader();
        var admitted = new HashSet<uint>();
        while (reader.Read())
        {
            admitted.Add((uint)reader.GetInt64(0));
        }

        return admitted;
    }

    public void RecordConsumption(uint entitlementId, long admittedAtMs, string deviceId)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO consumptions (entitlement_id, admitted_at_ms, device_id) VALUES ($e, $t, $d);
            """;
        command.Parameters.AddWithValue("$e", (long)entitlementId);
        command.Parameters.AddWithValue("$t", admittedAtMs);
        command.Parameters.AddWithValue("$d", deviceId);
        command.ExecuteNonQuery();
    }

    public long ConsumptionCount(uint entitlementId)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM consumptions WHERE entitlement_id = $e;";
        command.Parameters.AddWithValue("$e", (long)entitlementId);
        return (long)(command.ExecuteScalar() ?? 0L);
    }

    internal static uint ReadMeta(SqliteConnection connection, string name, SqliteTransaction? transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        return (uint)(long)(command.ExecuteScalar() ?? 0L);
    }

    internal static uint BumpMeta(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE meta SET value = value + 1 WHERE name = $name RETURNING value;";
        command.Parameters.AddWithValue("$name", name);
        return (uint)(long)(command.ExecuteScalar() ?? 0L);
    }

    private static uint NextId(SqliteConnection connection, SqliteTransaction transaction) =>
        (uint)(long)(HubDatabase.Scalar(connection, "SELECT COALESCE(MAX(id), 0) + 1 FROM entitlements;", transaction)
            ?? 1L);

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, Entitlement row) =>
        Write(connection, transaction, row, """
            INSERT INTO entitlements (id, order_code, attendee_name, email, ticket_type, tier, payment_status,
                zone, seat, role, single_entry, epoch, cancelled, spend_allowance_minor)
            VALUES ($id, $order, $name, $email, $type, $tier, $payment, $zone, $seat, $role, $single, $epoch,
                $cancelled, $spend);
            """);

    private static void Update(SqliteConnection connection, SqliteTransaction transaction, Entitlement row) =>
        Write(connection, transaction, row, """
            UPDATE entitlements SET order_code = $order, attendee_name = $name, email = $email,
                ticket_type = $type, tier = $tier, payment_status = $payment, zone = $zone, seat = $seat,
                role = $role, single_entry = $single, epoch = $epoch, cancelled = $cancelled,
                spend_allowance_minor = $spend
            WHERE id = $id;
            """);

    private static void Write(SqliteConnection connection, SqliteTransaction transaction, Entitlement row, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", (long)row.Id);
        command.Parameters.AddWithValue("$order", (object?)row.OrderCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", (object?)row.AttendeeName ?? DBNull.Value);
        command.Parameters.AddWithValue("$email", (object?)row.Email ?? DBNull.Value);
        command.Parameters.AddWithValue("$type", row.TicketType);
        command.Parameters.AddWithValue("$tier", (int)row.Tier);
        command.Parameters.AddWithValue("$payment", (int)row.Payment);
        command.Parameters.AddWithValue("$zone", (int)row.Zone);
        command.Parameters.AddWithValue("$seat", (object?)row.Seat ?? DBNull.Value);
        command.Parameters.AddWithValue("$role", (int)row.Role);
        command.Parameters.AddWithValue("$single", row.SingleEntry ? 1 : 0);
        command.Parameters.AddWithValue("$epoch", (int)row.Epoch);
        command.Parameters.AddWithValue("$cancelled", row.Cancelled ? 1 : 0);
        command.Parameters.AddWithValue("$spend", (long)row.SpendAllowanceMinor);
        command.ExecuteNonQuery();
    }

    private static Entitlement? QuerySingle(
        SqliteConnection connection, string sql, object key, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$key", key);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? ReadEntitlement(reader) : null;
    }

    private static Entitlement ReadEntitlement(SqliteDataReader reader) => new()
    {
        Id = (uint)reader.GetInt64(0),
        OrderCode = reader.IsDBNull(1) ? null : reader.GetString(1),
        AttendeeName = reader.IsDBNull(2) ? null : reader.GetString(2),
        Email = reader.IsDBNull(3) ? null : reader.GetString(3),
        TicketType = reader.GetString(4),
        Tier = (MembershipTier)reader.GetInt32(5),
        Payment = (PaymentStatus)reader.GetInt32(6),
        Zone = (byte)reader.GetInt32(7),
        Seat = reader.IsDBNull(8) ? null : reader.GetString(8),
        Role = (GuestRole)reader.GetInt32(9),
        SingleEntry = reader.GetInt32(10) != 0,
        Epoch = (ushort)reader.GetInt32(11),
        Cancelled = reader.GetInt32(12) != 0,
        SpendAllowanceMinor = (uint)reader.GetInt64(13),
    };
}
