namespace EdgeIoT.Ledger.Tests;

/// <summary>
/// A fact that needs PostgreSQL. It is skipped when EDGEIOT_TEST_POSTGRES is unset, except
/// under CI=true, where the test runs and fails so a missing server cannot pass unnoticed.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string ConnectionVariable = "EDGEIOT_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        bool configured = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionVariable));
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!configured && !ci)
        {
            Skip = $"{ConnectionVariable} is not set. Install the Debian package postgresql and run "
                + $"'export {ConnectionVariable}=$(bash .ci/postgres.sh)' to run the PostgreSQL tests.";
        }
    }
}
