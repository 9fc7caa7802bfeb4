using EdgeIoT.Hub.Options;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>
/// The hub's SQLite file: opens connections with the hub's pragmas and applies the versioned
/// schema migrations once at start.
/// </summary>
public sealed class HubDatabase
{
    // SQLite primary result codes SQLITE_CORRUPT and SQLITE_NOTADB.
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly string _connectionString;
    private readonly string _databasePath;

    public HubDatabase(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        Directory.CreateDirectory(options.DataDirectory);
        _databasePath = options.DatabasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 10,
        }.ToString();
    }

    /// <summary>
    /// Opens a connection. synchronous=FULL makes every commit survive a power cut, which the
    /// event queue promises before it acknowledges an event.
    /// </summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
        return connection;
    }

    /// <summary>
    /// Creates or upgrades the schema, and is safe to call on every start. Builds developed in parallel
    /// recorded different migrations under the same version number, so a recorded version whose
    /// tables or columns are missing is applied, and one whose tables exist is only recorded
    /// (see <see cref="Schema.IsApplied"/>).
    /// </summary>
    public void Migrate()
    {
        try
        {
            MigrateSchema();
        }
        catch (SqliteException exception) when (IsDamaged(exception))
        {
            throw HubSettingsBinder.DamagedDatabase(_databasePath, exception);
        }
    }

    /// <summary>Whether SQLite reports the file as not a database or as damaged.</summary>
    public static bool IsDamaged(SqliteException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);

        return exception.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt;
    }

    private void MigrateSchema()
    {
        using SqliteConnection connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL);");

        long current = Convert.ToInt64(
            Scalar(connection, "SELECT COALESCE(MAX(version), 0) FROM migrations;"),
            System.Globalization.CultureInfo.InvariantCulture);
        for (int version = 1; version <= Schema.Migrations.Count; version++)
        {
            bool recorded = version <= current;
            bool applied = Schema.IsApplied(connection, version) ?? recorded;
            if (applied && recorded)
            {
                continue;
            }

            using SqliteTransaction transaction = connection.BeginTransaction();
            if (!applied)
            {
                Execute(connection, Schema.Migrations[version - 1], transaction);
            }

            RecordVersion(connection, version, transaction);
            transaction.Commit();
        }
    }

    private static void RecordVersion(SqliteConnection connection, int version, SqliteTransaction transaction)
    {
        using SqliteCommand record = connection.CreateCommand();
        record.Transaction = transaction;
        record.CommandText = "INSERT OR REPLACE INTO migrations (version, applied_ms) VALUES ($v, $t);";
        record.Parameters.AddWithValue("$v", version);
        record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        record.ExecuteNonQuery();
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);

        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);

        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
