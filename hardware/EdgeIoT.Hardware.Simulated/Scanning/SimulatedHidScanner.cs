using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// A keyboard-mode barcode scanner as an evdev device. It types text as struct input_event
/// records (MSC_SCAN, EV_KEY press and release, SYN_REPORT) with the keys of its own
/// <see cref="Layout"/>, into a named pipe at <see cref="DevicePath"/>. The driver reads the
/// pipe through <see cref="Opener"/>, which replaces the exclusive grab that only a real
/// input device supports and counts the grab requests.
/// </summary>
public sealed partial class SimulatedHidScanner : IDisposable
{
    private const ushort MiscType = 0x04;
    private const ushort ScanCode = 0x04;
    private readonly string _folder;
    private readonly Lock _lock = new();
    private FileStream? _writer;

    /// <param name="layout">Layout the scanner is set to, "us" or "de".</param>
    public SimulatedHidScanner(string layout = "us")
    {
        Layout = KeyboardLayout.FromName(layout);
        _folder = Directory.CreateTempSubdirectory("edgeiot-hid-").FullName;
        DevicePath = Path.Combine(_folder, "event0");
        Opener = new SimulatedInputDeviceOpener(this);
        Plug();
    }

    public KeyboardLayout Layout { get; }

    public string DevicePath { get; }

    /// <summary>Opener to give the driver instead of <see cref="LinuxInputDeviceOpener"/>.</summary>
    public SimulatedInputDeviceOpener Opener { get; }

    /// <summary>Types <paramref name="text"/> and Enter as one burst, as a scanner does after a decode.</summary>
    public Task TypeLineAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);

        var events = new List<InputEvent>();
        foreach (char character in text)
        {
            if (!Layout.TryGetKey(character, out ushort code, out KeyModifier modifier))
            {
                throw new ArgumentException(
                    $"Character U+{(int)character:X4} cannot be typed on layout {Layout.Name}.", nameof(text));
            }

            AddKey(events, code, modifier);
        }

        AddKey(events, KeyCodes.Enter, KeyModifier.None);
        return WriteEventsAsync(events, cancellationToken);
    }

    /// <summary>Writes <paramref name="events"/> as given, for caps lock, auto-repeat and other raw cases.</summary>
    public Task WriteEventsAsync(IReadOnlyList<InputEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);

        byte[] bytes = new byte[events.Count * InputEvent.Size];
        DateTimeOffset now = DateTimeOffset.UtcNow;
        for (int i = 0; i < events.Count; i++)
        {
            events[i].Write(bytes.AsSpan(i * InputEvent.Size), now);
        }

        FileStream writer;
        lock (_lock)
        {
            writer = _writer ?? throw new InvalidOperationException("The simulated scanner is unplugged.");
        }

        return writer.WriteAsync(bytes, cancellationToken).AsTask();
    }

    /// <summary>Removes the device node and closes it, so the driver reads end of file and cannot reopen.</summary>
    public void Unplug()
    {
        lock (_lock)
        {
            File.Delete(DevicePath);
            _writer?.Dispose();
            _writer = null;
        }
    }

    /// <summary>Creates the device node again, as the kernel does when the scanner is plugged back in.</summary>
    public void Plug()
    {
        lock (_lock)
        {
            if (_writer is not null)
            {
                return;
            }

            if (MakeFifo(DevicePath, Convert.ToUInt32("600", 8)) != 0)
            {
                throw new IOException($"mkfifo {DevicePath} failed with errno {Marshal.GetLastPInvokeError()}.");
            }

            // Read and write, so opening never waits for a reader and the driver's open never waits for a writer.
            SafeFileHandle handle = File.OpenHandle(DevicePath, FileMode.Open, FileAccess.ReadWrite);
            _writer = new FileStream(handle, FileAccess.ReadWrite, bufferSize: 0);
        }
    }

    public void Dispose()
    {
        Unplug();
        Directory.Delete(_folder, recursive: true);
    }

    // A key as a USB keyboard reports it: the HID usage as MSC_SCAN, the key press, a
    // SYN_REPORT, then the release and another SYN_REPORT, with shift or AltGr around it.
    private static void AddKey(List<InputEvent> events, ushort code, KeyModifier modifier)
    {
        ushort? modifierCode = modifier switch
        {
            KeyModifier.Shift => KeyCodes.LeftShift,
            KeyModifier.AltGraph => KeyCodes.RightAlt,
            _ => null,
        };
        if (modifierCode is { } down)
        {
            events.Add(new InputEvent(InputEvent.KeyType, down, InputEvent.Pressed));
        }

        events.Add(new InputEvent(MiscType, ScanCode, 0x70000 + code));
        events.Add(new InputEvent(InputEvent.KeyType, code, InputEvent.Pressed));
        events.Add(new InputEvent(InputEvent.SynchronizationType, 0, 0));
        events.Add(new InputEvent(InputEvent.KeyType, code, InputEvent.Released));
        events.Add(new InputEvent(InputEvent.SynchronizationType, 0, 0));
        if (modifierCode is { } up)
        {
            events.Add(new InputEvent(InputEvent.KeyType, up, InputEvent.Released));
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, uint mode);
}
