namespace EdgeIoT.Hardware;

/// <summary>Opens an input device for reading input_event structs, optionally with an exclusive grab.</summary>
public interface IInputDeviceOpener
{
    /// <summary>
    /// Opens <paramref name="path"/>. With <paramref name="exclusiveGrab"/> no other reader (the
    /// console, a desktop session) receives the device's key events while the stream is open.
    /// Throws <see cref="IOException"/> when the device is missing or the grab fails.
    /// </summary>
    Stream Open(string path, bool exclusiveGrab);
}
