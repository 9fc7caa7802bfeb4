using System.Diagnostics;

namespace EdgeIoT.Technician.Flashing;

/// <summary>
/// Runs nanoFramework's firmware flasher (nanoff, a .NET global tool) and streams its output
/// lines to the caller, which shows them as progress.
/// </summary>
public sealed class NanoffRunner
{
    public const string InstallCommand = "dotnet tool install -g nanoff";

    private readonly string _path;

    private NanoffRunner(string path)
    {
        _path = path;
    }

    /// <summary>
    /// Finds nanoff on PATH or in ~/.dotnet/tools, where `dotnet tool install -g` puts it.
    /// </summary>
    /// <exception cref="TechnicianException">nanoff is not installed; the message gives the install command.</exception>
    public static NanoffRunner Locate()
    {
        string executable = OperatingSystem.IsWindows() ? "nanoff.exe" : "nanoff";
        IEnumerable<string> directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));
        string? path = directories.Select(directory => Path.Combine(directory, executable)).FirstOrDefault(File.Exists);
        return path is null
            ? throw new TechnicianException(
                $"nanoff was not found on PATH or in ~/.dotnet/tools. Install it with: {InstallCommand}")
            : new NanoffRunner(path);
    }

    /// <summary>Runs nanoff with the arguments and returns when it exits.</summary>
    /// <exception cref="TechnicianException">nanoff exited with a non-zero code; the message has its last output lines.</exception>
    public async Task RunAsync(IReadOnlyList<string> arguments, Action<string> onOutput, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var lastLines = new Queue<string>();
        using var process = new Process { StartInfo = start };
        DataReceivedEventHandler keep = (_, line) =>
        {
            if (string.IsNullOrWhiteSpace(line.Data))
            {
                return;
            }

            lock (lastLines)
            {
                lastLines.Enqueue(line.Data);
                if (lastLines.Count > 10)
                {
                    lastLines.Dequeue();
                }
            }

            onOutput(line.Data.Trim());
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new TechnicianException(
                $"nanoff {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:{Environment.NewLine}"
                + string.Join(Environment.NewLine, lastLines));
        }
    }
}
