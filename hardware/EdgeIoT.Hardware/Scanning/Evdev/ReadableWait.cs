using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EdgeIoT.Hardware;

/// <summary>
/// Waits until a device file has data, checking a cancellation token between short poll(2)
/// calls. A blocking read of an input device ignores cancellation and returns only when a key
/// event arrives, so without this wait an agent with an idle HID scanner would hold its
/// shutdown until the host's timeout.
/// </summary>
internal static partial class ReadableWait
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(200);

    private const short PollIn = 0x0001;
    private const int Interrupted = 4;

    /// <summary>
    /// Returns when <paramref name="stream"/> has data, an error or an end of file to read.
    /// Returns at once for streams that are not files on Linux, whose reads honour cancellation.
    /// </summary>
    public static Task UntilReadableAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (stream is not FileStream { SafeFileHandle: { IsInvalid: false } handle } || !OperatingSystem.IsLinux())
        {
            return Task.CompletedTask;
        }

        return Task.Run(() => Wait(handle, cancellationToken), cancellationToken);
    }

    private static void Wait(SafeFileHandle handle, CancellationToken cancellationToken)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var descriptor = new PollDescriptor { Descriptor = (int)handle.DangerousGetHandle(), Events = PollIn };
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int ready = Poll(ref descriptor, 1, (int)Slice.TotalMilliseconds);
                if (ready > 0 || (ready < 0 && Marshal.GetLastPInvokeError() != Interrupted))
                {
                    // Data, a hang-up or an error: the read that follows returns it.
                    return;
                }
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc.so.6", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollDescriptor descriptors, nuint count, int timeoutMilliseconds);
}
