using System.ComponentModel;
using System.Runtime.InteropServices;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// A Linux pseudo-terminal pair from openpty(3). A driver opens <see cref="SlavePath"/> as its
/// serial port, and the simulated device reads and writes the master side. The slave side
/// stays open here too, so the pair survives the driver closing and reopening the port.
/// </summary>
public sealed partial class PseudoTerminal : IDisposable
{
    private const short PollIn = 0x001;
    private const int TcsaNow = 0;
    private readonly int _master;
    private readonly int _slave;
    private int _disposed;

    public PseudoTerminal()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Pseudo-terminals are simulated with Linux openpty(3) only.");
        }

        if (OpenPty(out _master, out _slave, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "openpty failed");
        }

        MakeRaw(_slave);
        SlavePath = new FileInfo($"/proc/self/fd/{_slave}").LinkTarget
            ?? throw new IOException($"The path of pseudo-terminal fd {_slave} could not be read.");
    }

    /// <summary>Device path of the slave side, for example /dev/pts/3.</summary>
    public string SlavePath { get; }

    /// <summary>
    /// Reads what the driver wrote, waiting at most <paramref name="timeout"/>. Returns 0 when
    /// nothing arrived in time.
    /// </summary>
    public int Read(Span<byte> buffer, TimeSpan timeout)
    {
        var descriptor = new PollDescriptor { Descriptor = _master, Events = PollIn };
        int ready = Poll(ref descriptor, 1, (int)timeout.TotalMilliseconds);
        if (ready <= 0 || (descriptor.ReturnedEvents & PollIn) == 0)
        {
            return 0;
        }

        nint read = ReadNative(_master, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
        return (int)Math.Max(read, 0);
    }

    /// <summary>Writes bytes for the driver to read, in one write(2) so a frame arrives whole.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        nint written = WriteNative(_master, in MemoryMarshal.GetReference(bytes), (nuint)bytes.Length);
        if (written != bytes.Length)
        {
            throw new IOException($"Pseudo-terminal write sent {written} of {bytes.Length} bytes.");
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _ = Close(_master);
        _ = Close(_slave);
    }

    // Raw mode (cfmakeraw) before the driver opens the port: no echo, no line editing, no
    // CR/LF translation, so the master reads exactly the bytes the driver wrote.
    private static void MakeRaw(int descriptor)
    {
        // struct termios is 60 bytes on Linux glibc; the buffer leaves room for other layouts.
        byte[] termios = new byte[256];
        if (GetAttributes(descriptor, termios) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "tcgetattr failed");
        }

        MakeRawNative(termios);
        if (SetAttributes(descriptor, TcsaNow, termios) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "tcsetattr failed");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc.so.6", EntryPoint = "openpty", SetLastError = true)]
    private static partial int OpenPty(out int master, out int slave, IntPtr name, IntPtr termios, IntPtr windowSize);

    [LibraryImport("libc.so.6", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int GetAttributes(int descriptor, [Out] byte[] termios);

    [LibraryImport("libc.so.6", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int SetAttributes(int descriptor, int action, byte[] termios);

    [LibraryImport("libc.so.6", EntryPoint = "cfmakeraw")]
    private static partial void MakeRawNative([In, Out] byte[] termios);

    [LibraryImport("libc.so.6", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollDescriptor descriptors, int count, int timeoutMilliseconds);

    [LibraryImport("libc.so.6", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadNative(int descriptor, ref byte buffer, nuint count);

    [LibraryImport("libc.so.6", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteNative(int descriptor, in byte buffer, nuint count);

    [LibraryImport("libc.so.6", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
