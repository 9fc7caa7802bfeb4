namespace EdgeIoT.EdgeAgent.Tests.Arm64;

/// <summary>
/// A fact that runs the linux-arm64 agent under qemu-user emulation. It skips itself with the
/// install command when qemu-aarch64-static or the arm64 system libraries are missing, except
/// in CI (CI=true), where a missing package fails the test.
/// </summary>
public sealed class QemuArm64FactAttribute : FactAttribute
{
    /// <summary>Debian's qemu-user-static binary for AArch64 guests.</summary>
    public const string QemuPath = "/usr/bin/qemu-aarch64-static";

    // The apphost's dynamic loader, the C++ runtime that libcoreclr.so links against, and the
    // OpenSSL that .NET cryptography loads at run time, where Debian multiarch installs them.
    private const string LoaderPath = "/lib/ld-linux-aarch64.so.1";
    private const string CppRuntimePath = "/usr/lib/aarch64-linux-gnu/libstdc++.so.6";
    private const string OpenSslPath = "/usr/lib/aarch64-linux-gnu/libssl.so.3";

    public QemuArm64FactAttribute()
    {
        bool inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        string? missing = FindMissingPackage();
        if (missing is not null && !inCi)
        {
            Skip = missing;
        }
    }

    /// <summary>Returns what to install, or null when emulation can run.</summary>
    public static string? FindMissingPackage()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture
            != System.Runtime.InteropServices.Architecture.X64)
        {
            return "qemu-user emulation of the arm64 agent is set up for x64 Linux hosts only";
        }

        if (!File.Exists(QemuPath))
        {
            return $"{QemuPath} is missing; install it with: apt-get install qemu-user-static";
        }

        if (!File.Exists(LoaderPath) || !File.Exists(CppRuntimePath) || !File.Exists(OpenSslPath))
        {
            return "the arm64 C, C++ and OpenSSL libraries are missing; install them with: dpkg --add-architecture arm64 "
                + "&& apt-get update && apt-get install libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 libssl3:arm64";
        }

        return null;
    }
}
