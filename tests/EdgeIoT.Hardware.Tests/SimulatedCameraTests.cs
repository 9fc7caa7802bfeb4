using System.Diagnostics;
using EdgeIoT.Hardware.Simulated;

namespace EdgeIoT.Hardware.Tests;

public sealed class SimulatedCameraTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "edgeiot-camera-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Present_SharpFrame_YieldsScanStampedAtPresentation()
    {
        await using var camera = new SimulatedCamera();
        var text = QrImagesTests.TokenText(seed: 3);
        var png = QrImages.RenderPng(text);

        var before = Stopwatch.GetTimestamp();
        await camera.PresentAsync(png);
        var read = await FirstReadAsync(camera);

        Assert.Equal(text, read.Text);
        Assert.Equal(ScanSource.Qr, read.Source);
        Assert.InRange(read.TimestampTicks, before, Stopwatch.GetTimestamp());
    }

    [Fact]
    public async Task Present_BlurShareOne_ReportsUnreadableNotScan()
    {
        await using var camera = new SimulatedCamera(new SimulatedCameraOptions { BlurShare = 1 });
        var errors = new List<UnreadableFrameEventArgs>();
        camera.Unreadable += (_, args) => errors.Add(args);

        await camera.PresentAsync(QrImages.RenderPng(QrImagesTests.TokenText(seed: 4)));
        await camera.PresentAsync(QrImages.RenderPng(QrImagesTests.TokenText(seed: 5)));

        Assert.Equal(2, camera.UnreadableCount);
        Assert.All(errors, error => Assert.True(error.Blurred));
        Assert.All(errors, error => Assert.Contains("No QR code found", error.Error));
        await camera.DisposeAsync();
        Assert.Empty(await ReadAllAsync(camera));
    }

    [Fact]
    public async Task Present_HalfBlurred_SplitsBetweenScansAndUnreadable()
    {
        await using var camera = new SimulatedCamera(new SimulatedCameraOptions { BlurShare = 0.5, Seed = 42 });
        var png = QrImages.RenderPng(QrImagesTests.TokenText(seed: 6));
        const int frames = 12;

        for (var i = 0; i < frames; i++)
        {
            await camera.PresentAsync(png);
        }

        await camera.DisposeAsync();
        var reads = await ReadAllAsync(camera);

        Assert.Equal(frames, reads.Count + camera.UnreadableCount);
        Assert.InRange(camera.UnreadableCount, 1, frames - 1);
    }

    [Fact]
    public async Task Inbox_DroppedPng_DecodedAndMovedToProcessed()
    {
        var options = new SimulatedCameraOptions { InboxFolder = _folder, KeepProcessed = true };
        await using var camera = new SimulatedCamera(options);
        var text = QrImagesTests.TokenText(seed: 8);

        var staging = Path.Combine(_folder, "frame.tmp");
        await File.WriteAllBytesAsync(staging, QrImages.RenderPng(text));
        File.Move(staging, Path.Combine(_folder, "frame.png"));
        var read = await FirstReadAsync(camera);

        Assert.Equal(text, read.Text);
        Assert.True(File.Exists(Path.Combine(_folder, "processed", "frame.png")));
        Assert.False(File.Exists(Path.Combine(_folder, "frame.png")));
    }

    [Fact]
    public void Constructor_BlurShareAboveOne_ThrowsNamingValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new SimulatedCamera(new SimulatedCameraOptions { BlurShare = 1.5 }));

        Assert.Contains("Blur share 1.5", error.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<ScanRead> FirstReadAsync(IScanner scanner)
    {
        using var timeout = TestTimeouts.Create();
        await using var reads = scanner.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await reads.MoveNextAsync());
        return reads.Current;
    }

    private static async Task<List<ScanRead>> ReadAllAsync(IScanner scanner)
    {
        using var timeout = TestTimeouts.Create();
        var reads = new List<ScanRead>();
        await foreach (var read in scanner.ReadAllAsync(timeout.Token))
        {
            reads.Add(read);
        }

        return reads;
    }
}
