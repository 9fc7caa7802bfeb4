using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>Schema migrations in order; the index + 1 is the version. Existing entries never change.</summary>
internal static class Schema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO meta (name, value) VALUES ('snapshot_version', 0), ('key_list_version', 0);

        CREATE TABLE entitlements (
            id INTEGER PRIMARY KEY,
            order_code TEXT UNIQUE,
            attendee_name TEXT,
            email TEXT,
            ticket_type TEXT NOT NULL,
            tier INTEGER NOT NULL,
            payment_status INTEGER NOT NULL,
            zone INTEGER NOT NULL DEFAULT 0,
            seat TEXT,
            role INTEGER NOT NULL,
            single_entry INTEGER NOT NULL,
            epoch INTEGER NOT NULL DEFAULT 0,
            cancelled INTEGER NOT NULL DEFAULT 0,
            spend_allowance_minor INTEGER NOT NULL DEFAULT 0);

        CREATE TABLE devices (
            device_id TEXT PRIMARY KEY,
            device_class TEXT NOT NULL,
            password_hash BLOB NOT NULL,
            salt BLOB NOT NULL,
            zone INTEGER NOT NULL DEFAULT 0,
            last_seen_ms INTEGER,
            state TEXT NOT NULL DEFAULT 'enrolled');

        CREATE TABLE keys (
            kid INTEGER PRIMARY KEY,
            private_key BLOB NOT NULL,
            not_before_ms INTEGER NOT NULL,
            not_after_ms INTEGER NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0,
            usage TEXT NOT NULL);

        CREATE TABLE consumptions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            entitlement_id INTEGER NOT NULL REFERENCES entitlements(id),
            admitted_at_ms INTEGER NOT NULL,
            device_id TEXT NOT NULL);
        CREATE INDEX consumptions_entitlement ON consumptions (entitlement_id);

        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            lane INTEGER NOT NULL,
            json TEXT NOT NULL,
            hub_received_ms INTEGER NOT NULL,
            sent_ms INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            dead INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX events_unsent ON events (lane, id) WHERE sent_ms IS NULL AND dead = 0;

        CREATE TABLE otp (
            phone_hash TEXT PRIMARY KEY,
            code_hash TEXT,
            expires_ms INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            locked_until_ms INTEGER NOT NULL DEFAULT 0,
            last_sent_ms INTEGER NOT NULL DEFAULT 0);

        CREATE TABLE delegations (
            assistant_id INTEGER PRIMARY KEY REFERENCES entitlements(id),
            creator_id INTEGER NOT NULL REFERENCES entitlements(id),
            expires_ms INTEGER NOT NULL);
        """,

        // The device's password in Mosquitto's PBKDF2-SHA512 format, so an external broker can
        // check it; NULL for devices enrolled before this migration.
        "ALTER TABLE devices ADD COLUMN mosquitto_hash TEXT;",
        """
        ALTER TABLE events ADD COLUMN next_attempt_ms INTEGER NOT NULL DEFAULT 0;

        CREATE TABLE dead_letters (
            event_id TEXT PRIMARY KEY,
            lane INTEGER NOT NULL,
            json TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            dead_ms INTEGER NOT NULL);
        INSERT INTO dead_letters (event_id, lane, json, attempts, last_error, dead_ms)
            SELECT event_id, lane, json, attempts, last_error, 0 FROM events WHERE dead = 1;
        """,

        // Builds that had the audit log but not the external broker mode applied this as version
        // 2, and builds without the dead-letter table as version 3. HubDatabase.Migrate finds its
        // tables there and adds the migrations that are missing.
        """
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            time_ms INTEGER NOT NULL,
            kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            payload TEXT NOT NULL,
            prev_hash BLOB NOT NULL,
            hash BLOB NOT NULL);

        CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            hash BLOB NOT NULL);

        CREATE TABLE snapshot_changes (
            version INTEGER NOT NULL,
            entitlement_id INTEGER NOT NULL,
            PRIMARY KEY (version, entitlement_id));

        ALTER TABLE devices ADD COLUMN key_list_version INTEGER;
        ALTER TABLE devices ADD COLUMN snapshot_version INTEGER;
        ALTER TABLE devices ADD COLUMN boot_id TEXT;
        ALTER TABLE devices ADD COLUMN last_detail TEXT;
        """,
        """
        CREATE TABLE otp_redeemed (
            phone_hash TEXT PRIMARY KEY,
            request_hash TEXT NOT NULL,
            walk_in_id INTEGER REFERENCES entitlements(id),
            until_ms INTEGER NOT NULL);
        """,
    ];

    // A query per migration that returns 1 when its tables or columns exist. Migrations that
    // parallel builds numbered differently need one, so HubDatabase.Migrate can tell which of
    // them a database already has whatever version number it recorded.
    private static readonly Dictionary<int, string> AppliedQueries = new()
    {
        [2] = "SELECT COUNT(*) FROM pragma_table_info('devices') WHERE name = 'mosquitto_hash';",
        [3] = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'dead_letters';",
        [4] = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit';",
        [5] = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'otp_redeemed';",
    };

    /// <summary>
    /// Returns whether the tables or columns of migration <paramref name="version"/> exist, or
    /// null when that migration has no query, so only the recorded version number shows it ran.
    /// </summary>
    public static bool? IsApplied(SqliteConnection connection, int version)
    {
        if (!AppliedQueries.TryGetValue(version, out string? query))
        {
            return null;
        }

        return Convert.ToInt64(HubDatabase.Scalar(connection, query), CultureInfo.InvariantCulture) > 0;
    }
}
