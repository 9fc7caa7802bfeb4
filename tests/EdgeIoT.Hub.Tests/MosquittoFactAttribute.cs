using EdgeIoT.LoadBench;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// A fact that runs against a real Mosquitto broker. It skips itself with the install command
/// when mosquitto is missing, except in CI (CI=true), where the test runs and fails.
/// </summary>
public sealed class MosquittoFactAttribute : FactAttribute
{
    public MosquittoFactAttribute()
    {
        bool inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (MosquittoProcess.ExecutablePath is null && !inCi)
        {
            Skip = "mosquitto is not installed; install it with: apt-get install mosquitto";
        }
    }
}
