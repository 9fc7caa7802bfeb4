using Npgsql;

namespace EdgeIoT.Ledger.Tests;

/// <summary>A PostgreSQL database created for one test and dropped after it.</summary>
public sealed class PostgresTarget : ILedgerTarget
{
    private readonly string _databaseName = "ledger_test_" + Guid.NewGuid().ToString("N");
    private string? _adminConnectionString;

    public string DataDirectory { get; } =
        Directory.CreateTempSubdirectory("edgeiot-ledger-pg-").FullName;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task PrepareAsync()
    {
        _adminConnectionString = Environment.GetEnvironmentVariable(PostgresFactAttribute.ConnectionVariable);
        if (string.IsNullOrWhiteSpace(_adminConnectionString))
        {
            throw new InvalidOperationException(
                $"{PostgresFactAttribute.ConnectionVariable} is not set, and CI=true requires the PostgreSQL tests "
                + "to run. Install the Debian package postgresql and export the output of .ci/postgres.sh.");
        }

        await ExecuteAdminAsync($"CREATE DATABASE \"{_databaseName}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _databaseName }
            .ConnectionString;
    }

    public void Configure(LedgerOptions options)
    {
        options.Store = LedgerOptions.PostgresStore;
        options.Postgres.ConnectionString = ConnectionString;
        options.DataDirectory = DataDirectory;
    }

    public async ValueTask DisposeAsync()
    {
        if (!string.IsNullOrEmpty(ConnectionString))
        {
            await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)");
        }

        Directory.Delete(DataDirectory, recursive: true);
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
