using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Finds the hub program for a hub process. The simulator's project reference to
/// hub/EdgeIoT.Hub copies EdgeIoT.Hub.dll with its runtimeconfig and deps files next to the
/// simulator, and the dotnet host that runs the simulator's runtime runs it too.
/// </summary>
public static class HubProgramFiles
{
    public const string AssemblyFileName = "EdgeIoT.Hub.dll";

    // Settings of the hub's environment: "Simulation" matches the in-process hub, so no
    // appsettings.Development.json of the caller's environment applies to either.
    private const string EnvironmentName = "Simulation";

    /// <summary>Start information for the hub program with <paramref name="arguments"/>, its output redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(arguments);

        string assembly = Path.Combine(AppContext.BaseDirectory, AssemblyFileName);
        RequireFile(assembly);
        RequireFile(Path.ChangeExtension(assembly, ".runtimeconfig.json"));

        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(assembly);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = EnvironmentName;
        info.Environment["DOTNET_ENVIRONMENT"] = EnvironmentName;
        return info;
    }

    // The runtime folder is {dotnet root}/shared/Microsoft.NETCore.App/{version}/, and the
    // host sits in the root. A runtime laid out otherwise falls back to dotnet on the PATH.
    private static string DotnetHost()
    {
        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        string host = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", name));
        return File.Exists(host) ? host : name;
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Hub program file {path} is missing; build the simulator project, whose reference to hub/EdgeIoT.Hub copies it there.",
                path);
        }
    }
}
