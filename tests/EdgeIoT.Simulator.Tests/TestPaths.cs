using System.Reflection;

namespace EdgeIoT.Simulator.Tests;

/// <summary>Finds the repository, the shipped scenarios and the simulator's build output.</summary>
public static class TestPaths
{
    public static string Root { get; } = FindRoot();

    public static string Scenarios => Path.Combine(Root, "simulators", "scenarios");

    public static string Scenario(string name) => Path.Combine(Scenarios, name + ".json");

    /// <summary>The simulator's main assembly, built in the same configuration as these tests.</summary>
    public static string SimulatorDll() => BuildOutput("EdgeIoT.Simulator");

    /// <summary>The virtual ESP32 device's assembly, built with the simulator that references it.</summary>
    public static string VirtualDeviceDll() => BuildOutput("EdgeIoT.VirtualDevice");

    private static string BuildOutput(string project)
    {
        string configuration = typeof(TestPaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "Configuration").Value!;
        string dll = Path.Combine(Root, "simulators", project, "bin", configuration, "net10.0", project + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build output {dll} is missing; build the simulator first.", dll);
        }

        return dll;
    }

    /// <summary>A fresh folder under the system temp folder for one test's files.</summary>
    public static string NewTempFolder(string prefix)
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgeiot-{prefix}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeIoT.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No EdgeIoT.sln above {AppContext.BaseDirectory}.");
    }
}
