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
            throw new DataFolderException(
                $"Data folder {directory.FullName} is a file, not a folder; choose a folder with --data.");
        }

        try
        {
            if (directory.Exists && directory.EnumerateFileSystemInfos().Any())
            {
                if (!File.Exists(marker))
                {
                    throw new DataFolderException(
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
        catch (Exception ex) when (ex is UnauthorizedAccessException or (IOException and not DataFolderException))
        {
            throw Unusable(directory, ex);
        }
    }

    /// <summary>
    /// Describes why the operating system refused the folder in one line that names --data,
    /// because .NET's own messages name neither the option nor the cause a user can fix.
    /// </summary>
    private static IOException Unusable(DirectoryInfo directory, Exception error)
    {
        string cause = error switch
        {
            UnauthorizedAccessException =>
                "permission denied, so the simulator cannot create or write the folder there; choose a folder you can write to",
            DirectoryNotFoundException when FileAbove(directory) is { } file =>
                $"{file} is a file, so no folder can be created below it; choose a path whose parent folders are folders",
            FileNotFoundException or DirectoryNotFoundException =>
                "the file system does not allow creating the folder there; choose a folder on a disk you can write to",
            _ => $"{error.Message.ReplaceLineEndings(" ").TrimEnd('.')}; choose another folder",
        };
        return new IOException($"--data {directory.FullName} is invalid: {cause}.", error);
    }

    private static string? FileAbove(DirectoryInfo directory)
    {
        for (DirectoryInfo? parent = directory.Parent; parent is not null; parent = parent.Parent)
        {
            if (File.Exists(parent.FullName))
            {
                return parent.FullName;
            }
        }

        return null;
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
            throw new DataFolderException(
                $"Data folder {directory.FullName} is in use by another simulation run; " +
                "wait for it to end or choose another folder with --data.",
                ex);
        }
    }

    /// <summary>A folder the simulator rejects for a reason of its own, as opposed to one the operating system refused.</summary>
    private sealed class DataFolderException(string message, Exception? inner = null) : IOException(message, inner);
}
