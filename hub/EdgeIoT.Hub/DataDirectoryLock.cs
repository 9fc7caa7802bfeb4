namespace EdgeIoT.Hub;

/// <summary>
/// An exclusive lock on {DataDirectory}/hub.lock, held by a running hub and by runbook commands
/// that write the files of a stopped hub, so the two never write hub.db at the same time. The
/// operating system releases it when the holder exits, also after kill -9.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "hub.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file)
    {
        _file = file;
    }

    /// <summary>Takes the lock, or returns null when another process holds it.</summary>
    public static DataDirectoryLock? TryAcquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
            var file = new FileStream(
                Path.Combine(dataDirectory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new DataDirectoryLock(file);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
