namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The folder a run writes into. A run empties the folder only when an earlier run left
/// its marker file there, so pointing --data at a folder of your own never deletes it.
/// </summary>
public static class DataDirectory
{
    public const string MarkerFile = ".edgeiot-simulation";

    /// <summary>
    /// Empties the folder when an earlier run wrote it, creates it and writes the marker.
    /// Returns the marker, held open with an exclusive lock that keeps a second run out of the
    /// folder until the caller disposes it. The operating system drops the lock when the
    /// process dies.
    /// </summary>
    public static IDisposable Prepare(string path)
    {
        var directory = new DirectoryInfo(path);
        string marker = Path.Combine(directory.FullName, MarkerFile);
        if (File.Exists(directory.FullName))
        {
            throw new IOException(
                $"Data folder {directory.FullName} is a file, not a folder; choose a folder with --data.");
        }

        if (directory.Exists && directory.EnumerateFileSystemInfos().Any())
        {
            if (!File.Exists(marker))
            {
                throw new IOException(
                    $"Data folder {directory.FullName} is not empty and was not written by the simulator; " +
                    "choose another folder with --data or empty it.");
            }

            OpenLocked(marker, FileMode.Open, directory).Dispose();
            directory.Delete(recursive: true);
        }

        directory.Create();
        FileStream locked = OpenLocked(marker, FileMode.Create, directory);
        locked.Write("Written by the EdgeIoT simulator; the next run empties this folder.\n"u8);
        locked.Flush();
        return locked;
    }

    // FileShare.None takes an exclusive advisory lock (flock on Linux), which a second run
    // that opens the marker the same way cannot get.
    private static FileStream OpenLocked(string marker, FileMode mode, DirectoryInfo directory)
    {
        try
        {
            return new FileStream(marker, mode, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (File.Exists(marker))
        {
            throw new IOException(
                $"Data folder {directory.FullName} is in use by another simulation run; " +
                "wait for it to end or choose another folder with --data.",
                ex);
        }
    }
}
