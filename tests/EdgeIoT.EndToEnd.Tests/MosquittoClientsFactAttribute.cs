namespace EdgeIoT.EndToEnd.Tests;

/// <summary>
/// A fact that needs Debian's mosquitto-clients package. It skips itself with the install
/// command when mosquitto_sub is missing, except in CI (CI=true), where a missing tool fails.
/// </summary>
public sealed class MosquittoClientsFactAttribute : FactAttribute
{
    public MosquittoClientsFactAttribute()
    {
        bool inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (MosquittoSubPath is null && !inCi)
        {
            Skip = "mosquitto_sub is not installed; install it with: apt-get install mosquitto-clients";
        }
    }

    /// <summary>Full path of mosquitto_sub on PATH, or null.</summary>
    public static string? MosquittoSubPath { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "mosquitto_sub"))
            .FirstOrDefault(File.Exists);
}
