using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// Upgrades of databases written by earlier builds. Builds with the external broker mode but no
/// audit log applied the mosquitto_hash column as version 2. Builds with the audit log but no
/// external broker mode applied the audit schema (now migration 3) as version 2.
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
    public void Migrate_BrokerBuildVersion2_AddsAuditSchema()
    {
        var database = new HubDatabase(_options);
        CreateAtVersion2(database, Schema.Migrations[1]);

        database.Migrate();

        AssertCurrentSchema(database);
    }

    [Fact]
    public void Migrate_AuditBuildVersion2_AddsMosquittoHash()
    {
        var database = new HubDatabase(_options);
        CreateAtVersion2(database, Schema.Migrations[2]);

        database.Migrate();

        AssertCurrentSchema(database);
    }

    [Fact]
    public void Migrate_AuditBuildVersion2_KeepsDevicesAndAuditRows()
    {
        var database = new HubDatabase(_options);
        CreateAtVersion2(database, Schema.Migrations[2]);
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
        Assert.Equal(3L, HubDatabase.Scalar(check, "SELECT COUNT(*) FROM migrations;"));
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

    // Writes the schema an earlier build left: migration 1, then its own migration 2.
    private static void CreateAtVersion2(HubDatabase database, string version2)
    {
        using SqliteConnection connection = database.Open();
        HubDatabase.Execute(connection, "CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL);");
        HubDatabase.Execute(connection, Schema.Migrations[0]);
        HubDatabase.Execute(connection, version2);
        HubDatabase.Execute(connection, "INSERT INTO migrations (version, applied_ms) VALUES (1, 0), (2, 0);");
    }

    private static void AssertCurrentSchema(HubDatabase database)
    {
        using SqliteConnection connection = database.Open();
        Assert.Equal((long)Schema.Migrations.Count, HubDatabase.Scalar(connection, "SELECT MAX(version) FROM migrations;"));
        foreach (string column in new[] { "mosquitto_hash", "key_list_version", "snapshot_version", "boot_id", "last_detail" })
        {
            Assert.Equal(1L, HubDatabase.Scalar(connection, $"SELECT COUNT(*) FROM pragma_table_info('devices') WHERE name = '{column}';"));
        }

        foreach (string table in new[] { "audit", "audit_head", "snapshot_changes" })
        {
            Assert.Equal(1L, HubDatabase.Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}';"));
        }
    }
}
