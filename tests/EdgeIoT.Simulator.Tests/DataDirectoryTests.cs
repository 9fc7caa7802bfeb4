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

        var error = Assert.ThrowsAny<IOException>(() => DataDirectory.Prepare(_folder));

        Assert.Contains(_folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another simulation run", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(report));
    }

    [Fact]
    public void Prepare_PathIsFile_RejectedAndKept()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_folder)!);
        File.WriteAllText(_folder, "not a folder");

        var error = Assert.ThrowsAny<IOException>(() => DataDirectory.Prepare(_folder));

        Assert.Contains(_folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("is a file", error.Message, StringComparison.Ordinal);
        Assert.Contains("--data", error.Message, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(_folder));
    }

    [Fact]
    public void Prepare_PathBelowFile_Rejected()
    {
        string parent = Path.GetDirectoryName(_folder)!;
        string file = Path.Combine(parent, "plain-file");
        File.WriteAllText(file, "not a folder");
        string below = Path.Combine(file, "sub");

        var error = Assert.ThrowsAny<IOException>(() => DataDirectory.Prepare(below));

        Assert.Equal($"--data {below} is invalid: {file} is a file, so no folder can be created below it; "
            + "choose a path whose parent folders are folders.", error.Message);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("/sys/edgeiot-data-test", "permission denied")]
    [InlineData("/proc/edgeiot-data-test", "the file system does not allow creating the folder there")]
    public void Prepare_FolderSystemRefuses_Rejected(string path, string cause)
    {
        var error = Assert.ThrowsAny<IOException>(() => DataDirectory.Prepare(path));

        Assert.StartsWith($"--data {path} is invalid: {cause}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);
}
