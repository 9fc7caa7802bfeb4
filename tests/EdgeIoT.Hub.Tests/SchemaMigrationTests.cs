using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// Upgrades of databases written by earlier builds. Builds without the audit log recorded
/// versions 1 to 3 as now. Builds with the audit log applied the audit schema (now migration 4)
/// as version 2, or as version 3 after the mosquitto_hash column.
/// </summary>
public sealed class SchemaMigrationTests : IDisposable
{
    private readonly HubOptions _options = new()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "edgeiot-schema-tests", Guid.NewGuid().ToString("N")),
    };

    [Fact]
    public void Migrate_NewDatabase_HasEveryTableAndColumn()
    {
        var database = new HubDatabase(_options);

        database.Migrate();

        AssertCurrentSchema(database);
    }

    [Fact]
    public void Migrate_BrokerBuildVersion2_AddsLaterMigrations()
    {
        var database = new HubDatabase(_options);
        CreateWith(database, Schema.Migrations[1]);

        database.Migrate();

        AssertCurrentSchema(database);
    }

    [Fact]
    public void Migrate_DeadLetterBuildVersion3_AddsAuditSchema()
    {
        var database = new HubDatabase(_options);
        CreateWith(database, Schema.Migrations[1], Schema.Migrations[2]);

        database.Migrate();

        AssertCurrentSchema(database);
    }

    [Fact]
    public void Migrate_AuditBuildVersion2_AddsMissingMigrations()
    {
        var database = new HubDatabase(_options);
        CreateWith(database, Schema.Migrations[3]);

        database.Migrate();

        AssertCurrentSchema(database);
    }

    [Fact]
    public void Migrate_AuditBuildVersion3_AddsDeadLetters()
    {
        var database = new HubDatabase(_options);
        CreateWith(database, Schema.Migrations[1], Schema.Migrations[3]);

        database.Migrate();

        AssertCurrentSchema(database);
    }

    [Fact]
    public void Migrate_AuditBuildVersion2_KeepsDevicesAndAuditRows()
    {
        var database = new HubDatabase(_options);
        CreateWith(database, Schema.Migrations[3]);
        using (SqliteConnection connection = database.Open())
        {
            HubDatabase.Execute(connection, """
                INSERT INTO devices (device_id, device_class, password_hash, salt, boot_id)
                VALUES ('lane-1', 'agent', x'00', x'00', 'boot-1');
                INSERT INTO audit (seq, time_ms, kind, actor, payload, prev_hash, hash)
                VALUES (1, 0, 'enroll', 'operator', '{}', x'00', x'01');
                """);
        }

        database.Migrate();
        database.Migrate();

        using SqliteConnection check = database.Open();
        Assert.Equal("boot-1", HubDatabase.Scalar(check, "SELECT boot_id FROM devices WHERE device_id = 'lane-1';"));
        Assert.Equal(DBNull.Value, HubDatabase.Scalar(check, "SELECT mosquitto_hash FROM devices WHERE device_id = 'lane-1';"));
        Assert.Equal(1L, HubDatabase.Scalar(check, "SELECT COUNT(*) FROM audit;"));
        Assert.Equal((long)Schema.Migrations.Count, HubDatabase.Scalar(check, "SELECT COUNT(*) FROM migrations;"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_options.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a folder in the temp directory behind.
        }
    }

    // Writes the schema an earlier build left: migration 1, then its own later migrations
    // recorded as versions 2, 3 and so on.
    private static void CreateWith(HubDatabase database, params string[] laterMigrations)
    {
        using SqliteConnection connection = database.Open();
        HubDatabase.Execute(connection, "CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL);");
        HubDatabase.Execute(connection, Schema.Migrations[0]);
        HubDatabase.Execute(connection, "INSERT INTO migrations (version, applied_ms) VALUES (1, 0);");
        for (int i = 0; i < laterMigrations.Length; i++)
        {
            HubDatabase.Execute(connection, laterMigrations[i]);
            HubDatabase.Execute(connection, $"INSERT INTO migrations (version, applied_ms) VALUES ({i + 2}, 0);");
        }
    }

    private static void AssertCurrentSchema(HubDatabase database)
    {
        using SqliteConnection connection = database.Open();
        Assert.Equal((long)Schema.Migrations.Count, HubDatabase.Scalar(connection, "SELECT MAX(version) FROM migrations;"));
        foreach (string column in new[] { "mosquitto_hash", "key_list_version", "snapshot_version", "boot_id", "last_detail" })
        {
            Assert.Equal(1L, HubDatabase.Scalar(connection, $"SELECT COUNT(*) FROM pragma_table_info('devices') WHERE name = '{column}';"));
        }

        Assert.Equal(1L, HubDatabase.Scalar(connection, "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'next_attempt_ms';"));
        foreach (string table in new[] { "dead_letters", "audit", "audit_head", "snapshot_changes" })
        {
            Assert.Equal(1L, HubDatabase.Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}';"));
        }
    }
}
