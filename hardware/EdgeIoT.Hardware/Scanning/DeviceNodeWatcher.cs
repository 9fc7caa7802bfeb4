using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EdgeIoT.Hardware;

/// <summary>
/// Ends a reopen wait early when the device node, such as /dev/serial/by-id/usb-…, is new: it
/// appears during the wait, or it was recreated (another inode) since the last attempt. Each
/// wait watches the node's nearest existing folder, because udev removes /dev/serial/by-id
/// with the last serial device, and a watch on a removed folder reports nothing.
/// </summary>
internal sealed partial class DeviceNodeWatcher
{
    private const int CurrentFolder = -100;
    private const uint StatxInodeAndChangeTime = 0x100 | 0x80;
    private const int StatxSize = 256;
    private readonly string _path;
    private const int NoFollow = 0x100;
    private NodeIdentity? _lastAttempted;

    public DeviceNodeWatcher(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        _path = Path.GetFullPath(path);
    }

    /// <summary>
    /// Waits with <paramref name="wait"/> for <paramref name="delay"/>, or less if the node is
    /// missing now and appears meanwhile. A node that exists but failed to open gets the full delay.
    /// </summary>
    public async Task WaitAsync(
        Func<TimeSpan, CancellationToken, Task> wait, TimeSpan delay, CancellationToken cancellationToken)
    {
        var appeared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using FileSystemWatcher? watcher = TryWatch(() =>
        {
            if (File.Exists(_path))
            {
                appeared.TrySetResult();
            }
        });

        // Checked after the watch starts, so a node created in between is not missed. A node
        // that failed before gets the full delay, so a node that cannot be opened is no hot loop.
        var identity = TryGetIdentity(_path);
        if (identity is not null && identity != _lastAttempted)
        {
            _lastAttempted = identity;
            return;
        }

        if (watcher is null || identity is not null)
        {
            await wait(delay, cancellationToken);
            return;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task delayed = wait(delay, stopWaiting.Token);
        Task first = await Task.WhenAny(delayed, appeared.Task);
        await stopWaiting.CancelAsync();
        if (first == delayed)
        {
            await delayed;
            return;
        }

        _lastAttempted = TryGetIdentity(_path);
    }

    /// <summary>Records the node that was just opened, so only a recreated node skips the next wait.</summary>
    public void RecordOpened() => _lastAttempted = TryGetIdentity(_path);

    // The link's own inode and change time and the device node it leads to, from statx(2). A
    // replug recreates both, and the link's change time tells a new link apart even when the
    // file system reuses the inode number. The statx layout is the same on every architecture:
    // stx_ino at offset 32, stx_ctime at 96, stx_rdev_major and stx_rdev_minor at 128 and 132,
    // little-endian on the boards this runs on.
    private static NodeIdentity? TryGetIdentity(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        byte[] link = new byte[StatxSize];
        byte[] node = new byte[StatxSize];
        if (Statx(CurrentFolder, path, NoFollow, StatxInodeAndChangeTime, link) != 0
            || Statx(CurrentFolder, path, 0, StatxInodeAndChangeTime, node) != 0)
        {
            return null;
        }

        return new NodeIdentity(
            BinaryPrimitives.ReadUInt64LittleEndian(link.AsSpan(32)),
            BinaryPrimitives.ReadInt64LittleEndian(link.AsSpan(96)),
            BinaryPrimitives.ReadUInt32LittleEndian(link.AsSpan(104)),
            BinaryPrimitives.ReadUInt64LittleEndian(node.AsSpan(32)),
            BinaryPrimitives.ReadUInt32LittleEndian(node.AsSpan(128)),
            BinaryPrimitives.ReadUInt32LittleEndian(node.AsSpan(132)));
    }

    private FileSystemWatcher? TryWatch(Action onChange)
    {
        string? parent = Path.GetDirectoryName(_path);
        string? folder = parent;
        while (folder is not null && !Directory.Exists(folder))
        {
            folder = Path.GetDirectoryName(folder);
        }

        if (folder is null)
        {
            return null;
        }

        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = !string.Equals(folder, parent, StringComparison.Ordinal),
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName,
            };
            watcher.Created += (_, _) => onChange();
            watcher.Renamed += (_, _) => onChange();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception exception) when (exception is IOException or PlatformNotSupportedException
            or UnauthorizedAccessException or ArgumentException)
        {
            // Without a watch (inotify limit reached, for example) the back-off alone applies.
            return null;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int folder, string path, int flags, uint mask, [Out] byte[] buffer);

    private readonly record struct NodeIdentity(
        ulong LinkInode, long LinkChangeSeconds, uint LinkChangeNanoseconds, ulong Inode, uint DeviceMajor, uint DeviceMinor);
}
