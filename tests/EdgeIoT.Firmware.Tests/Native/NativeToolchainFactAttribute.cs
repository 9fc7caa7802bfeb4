namespace EdgeIoT.Firmware.Tests.Native;

/// <summary>
/// A test that compiles the firmware's native C code with gcc against Debian's libsodium-dev.
/// It skips itself with the install command when either is missing, except in CI (CI=true),
/// where a missing tool fails the test instead of hiding it.
/// </summary>
public sealed class NativeToolchainFactAttribute : FactAttribute
{
    public NativeToolchainFactAttribute()
    {
        bool inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!IsAvailable && !inCi)
        {
            Skip = "gcc or libsodium-dev is not installed; install them with: apt-get install gcc libsodium-dev";
        }
    }

    public static bool IsAvailable => GccPath is not null && File.Exists("/usr/include/sodium.h");

    /// <summary>Full path of gcc on PATH, or null.</summary>
    public static string? GccPath { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "gcc"))
            .FirstOrDefault(File.Exists);
}
