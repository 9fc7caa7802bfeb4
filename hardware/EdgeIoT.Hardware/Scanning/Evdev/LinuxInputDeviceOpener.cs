using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EdgeIoT.Hardware;

/// <summary>
/// Opens /dev/input/eventN and takes an exclusive grab with the EVIOCGRAB ioctl, so the
/// scanner's keystrokes reach only the agent and never a login prompt on the console.
/// </summary>
public sealed partial class LinuxInputDeviceOpener : IInputDeviceOpener
{
    /// <summary>EVIOCGRAB = _IOW('E', 0x90, int) from linux/input.h.</summary>
    public const uint GrabRequest = 0x40044590;

    private const int NotATypewriter = 25;

    public static LinuxInputDeviceOpener Instance { get; } = new();

    public Stream Open(string path, bool exclusiveGrab)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (exclusiveGrab)
        {
            Grab(handle, path);
        }

        // Buffer size 0: each read returns what the kernel has, whole input_event structs.
        return new FileStream(handle, FileAccess.Read, bufferSize: 0);
    }

    private static void Grab(SafeFileHandle handle, string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            handle.Dispose();
            throw new PlatformNotSupportedException("Input device grabs need Linux evdev.");
        }

        if (IoControl(handle, GrabRequest, 1) == 0)
        {
            return;
        }

        int error = Marshal.GetLastPInvokeError();
        handle.Dispose();
        string reason = error == NotATypewriter
            ? "it is not an evdev input device"
            : $"errno {error}, possibly another program holds the grab";
        throw new IOException($"Exclusive grab (EVIOCGRAB) of {path} failed: {reason}.");
    }

    [LibraryImport("libc.so.6", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoControl(SafeFileHandle descriptor, nuint request, nint value);
}
