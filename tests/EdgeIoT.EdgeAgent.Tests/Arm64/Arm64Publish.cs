using System.Diagnostics;

namespace EdgeIoT.EdgeAgent.Tests.Arm64;

/// <summary>
/// The edge agent published for linux-arm64, self-contained, as a Raspberry Pi runs it. The
/// first test that requests it starts the publish, once per test run. Build files go to a
/// folder of their own, so the publish leaves the repository's bin and obj folders alone.
/// </summary>
internal static class Arm64Publish
{
    public const string AppHostName = "EdgeIoT.EdgeAgent";

    // A first publish on a busy 2-core machine restores the arm64 runtime packs and compiles
    // every referenced project in Release.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private static readonly Lazy<Task<string>> Folder = new(PublishAsync);

    /// <summary>Publishes the agent on the first call and returns the publish folder.</summary>
    public static Task<string> GetFolderAsync() => Folder.Value;

    private static async Task<string> PublishAsync()
    {
        string root = FindRepositoryRoot();
        string work = Path.Combine(AppContext.BaseDirectory, "arm64-agent");
        string output = Path.Combine(work, "publish");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (string argument in new[]
        {
            "publish", Path.Combine(root, "edge-agent", "EdgeIoT.EdgeAgent", "EdgeIoT.EdgeAgent.csproj"),
            "-c", "Release", "-r", "linux-arm64", "--self-contained",
            "--artifacts-path", Path.Combine(work, "artifacts"), "-o", output,
            "--disable-build-servers", "-nodeReuse:false", "-v", "quiet", "-nologo",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would point the nested build at the outer one's SDK state.
        foreach (string name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("dotnet publish could not be started.");
        Task<string> standardOutput = process.StandardOutput.ReadToEndAsync();
        Task<string> standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"dotnet publish -r linux-arm64 did not finish within {PublishTimeout.TotalMinutes} min.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet publish -r linux-arm64 failed with exit code {process.ExitCode}:{Environment.NewLine}"
                + await standardOutput + await standardError);
        }

        return output;
    }

    private static string FindRepositoryRoot()
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
