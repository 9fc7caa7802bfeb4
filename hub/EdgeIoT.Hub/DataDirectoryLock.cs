using System.Diagnostics;
using EdgeIoT.Hub.Options;

namespace EdgeIoT.Hub;

/// <summary>
/// An exclusive lock on {DataDirectory}/hub.lock, held by a running hub and by runbook commands
/// that write the files of a stopped hub, so the two never write hub.db at the same time. The
/// operating system releases it when the holder exits, also after kill -9. The holder writes its
/// process id and command to hub.lock.owner, so a process that finds the lock taken can name it.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "hub.lock";

    public const string OwnerFileName = "hub.lock.owner";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file)
    {
        _file = file;
    }

    /// <summary>
    /// Takes the lock, or returns null when another process holds it. Throws a
    /// <see cref="HubSettingsException"/> when this user may not create or open the lock file.
    /// </summary>
    public static DataDirectoryLock? TryAcquire(string dataDirectory)
    {
        string directory = Path.GetFullPath(dataDirectory);
        string path = Path.Combine(directory, FileName);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HubSettingsException($"Hub:DataDirectory '{directory}' cannot be created: {exception.Message}", exception);
        }

        FileStream file;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new HubSettingsException(
                $"Hub:DataDirectory '{directory}' is unusable: user '{Environment.UserName}' may not open "
                + $"'{path}' for writing. Run the command as the user that runs the hub (the owner of the folder), or pass "
                + "--hub URL with EDGEIOT_OPERATOR_TOKEN for a running hub.",
                exception);
        }
        catch (IOException)
        {
            return null;
        }

        WriteOwner(dataDirectory);
        return new DataDirectoryLock(file);
    }

    /// <summary>
    /// Throws a <see cref="HubSettingsException"/> naming the process that holds the lock, or
    /// returns when the lock is free. The lock is released again before this returns.
    /// </summary>
    public static void RequireFree(string dataDirectory)
    {
        using DataDirectoryLock? probe = TryAcquire(dataDirectory);
        if (probe is null)
        {
            throw InUse(dataDirectory);
        }
    }

    /// <summary>The error for a lock held by another process, naming that process when hub.lock.owner does.</summary>
    public static HubSettingsException InUse(string dataDirectory)
    {
        string directory = Path.GetFullPath(dataDirectory);
        string holder = DescribeOwner(directory) is string owner ? $"process {owner}" : "another process";
        return new HubSettingsException(
            $"Hub:DataDirectory '{directory}' is in use by {holder}: a running hub or a runbook command holds its {FileName}. "
            + "Stop that process, or give this hub its own --data directory.");
    }

    public void Dispose() => _file.Dispose();

    // Best effort: the owner file only improves the error message, so failing to write it is ignored.
    private static void WriteOwner(string dataDirectory)
    {
        string[] commandLine = Environment.GetCommandLineArgs();
        string command = string.Join(' ', commandLine.Take(2).Select(Path.GetFileName));
        try
        {
            File.WriteAllText(Path.Combine(dataDirectory, OwnerFileName), $"{Environment.ProcessId} {command}\n");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return;
        }
    }

    private static string? DescribeOwner(string dataDirectory)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(dataDirectory, OwnerFileName)).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string[] parts = text.Split(' ', 2);
        if (!int.TryParse(parts[0], out int processId) || !IsRunning(processId))
        {
            return null;
        }

        return parts.Length > 1 ? $"{processId} ({parts[1]})" : parts[0];
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
