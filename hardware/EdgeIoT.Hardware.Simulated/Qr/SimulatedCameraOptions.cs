namespace EdgeIoT.Hardware.Simulated;

/// <summary>Settings of a <see cref="SimulatedCamera"/>.</summary>
public sealed record SimulatedCameraOptions
{
    public string Name { get; init; } = "camera";

    /// <summary>Share of frames (0 to 1) blurred so heavily that they fail to decode.</summary>
    public double BlurShare { get; init; }

    /// <summary>Seed of the random choice of blurred frames, so runs repeat.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Folder watched for *.png frames from other processes, or null for none. Writers should
    /// create the file under another name and rename it to *.png, so no half-written frame is read.
    /// </summary>
    public string? InboxFolder { get; init; }

    /// <summary>True moves decoded inbox frames to a processed/ subfolder; false deletes them.</summary>
    public bool KeepProcessed { get; init; }

    /// <summary>How often the inbox is scanned when no file-system notification arrives.</summary>
    public TimeSpan InboxPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
