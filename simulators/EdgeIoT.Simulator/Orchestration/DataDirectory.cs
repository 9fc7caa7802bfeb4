namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The folder a run writes into. A run empties the folder only when an earlier run left
/// its marker file there, so pointing --data at a folder of your own never deletes it.
/// </summary>
public static class DataDirectory
{
    public const string MarkerFile = ".edgeiot-simulation";

    public static void Prepare(string path)
    {
        var directory = new DirectoryInfo(path);
        if (directory.Exists && directory.EnumerateFileSystemInfos().Any())
        {
            if (!File.Exists(Path.Combine(path, MarkerFile)))
            {
                throw new IOException(
                    $"Data folder {directory.FullName} is not empty and was not written by the simulator; " +
                    "choose another folder with --data or empty it.");
            }

            directory.Delete(recursive: true);
        }

        directory.Create();
        File.WriteAllText(
            Path.Combine(path, MarkerFile),
            "Written by the EdgeIoT simulator; the next run empties this folder.\n");
    }
}
