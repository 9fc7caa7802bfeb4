using System.Reflection;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>Finds the repository and the build outputs of the service projects.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// Returns the main assembly of a project built in the same configuration as these
    /// tests, e.g. "hub/EdgeIoT.Hub" → ".../hub/EdgeIoT.Hub/bin/Debug/net10.0/EdgeIoT.Hub.dll".
    /// </summary>
    public static string BuildOutput(string projectPath)
    {
        string name = Path.GetFileName(projectPath);
        string configuration = typeof(RepositoryPaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "Configuration").Value!;
        string dll = Path.Combine(Root, projectPath, "bin", configuration, "net10.0", name + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"Build output {dll} is missing; build the solution first (dotnet build EdgeIoT.sln).", dll);
        }

        return dll;
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
