using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Tests;

/// <summary>The data folder of a run: emptied for the next run, never shared by two runs at once.</summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly string _folder = Path.Combine(TestPaths.NewTempFolder("data-folder"), "event-data");

    [Fact]
    public void Prepare_FolderOfEndedRun_Emptied()
    {
        DataDirectory.Prepare(_folder).Dispose();
        File.WriteAllText(Path.Combine(_folder, "report.json"), "{}");

        using IDisposable folderLock = DataDirectory.Prepare(_folder);

        Assert.False(File.Exists(Path.Combine(_folder, "report.json")));
        Assert.True(File.Exists(Path.Combine(_folder, DataDirectory.MarkerFile)));
    }

    [Fact]
    public void Prepare_FolderOfRunningRun_RejectedAndKept()
    {
        using IDisposable running = DataDirectory.Prepare(_folder);
        string report = Path.Combine(_folder, "report.json");
        File.WriteAllText(report, "{}");

        var error = Assert.Throws<IOException>(() => DataDirectory.Prepare(_folder));

        Assert.Contains(_folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another simulation run", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(report));
    }

    [Fact]
    public void Prepare_PathIsFile_RejectedAndKept()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_folder)!);
        File.WriteAllText(_folder, "not a folder");

        var error = Assert.Throws<IOException>(() => DataDirectory.Prepare(_folder));

        Assert.Contains(_folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("is a file", error.Message, StringComparison.Ordinal);
        Assert.Contains("--data", error.Message, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(_folder));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);
}
