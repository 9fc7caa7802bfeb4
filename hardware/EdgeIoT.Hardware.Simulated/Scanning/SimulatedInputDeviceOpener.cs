namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// Opens a <see cref="SimulatedHidScanner"/>'s pipe for the driver. A pipe has no EVIOCGRAB,
/// so a grab request is counted in <see cref="GrabRequestCount"/> instead of applied.
/// </summary>
public sealed class SimulatedInputDeviceOpener : IInputDeviceOpener
{
    private readonly SimulatedHidScanner _scanner;
    private int _grabRequests;

    internal SimulatedInputDeviceOpener(SimulatedHidScanner scanner)
    {
        _scanner = scanner;
    }

    public int GrabRequestCount => Volatile.Read(ref _grabRequests);

    public Stream Open(string path, bool exclusiveGrab)
    {
        if (!string.Equals(path, _scanner.DevicePath, StringComparison.Ordinal))
        {
            throw new FileNotFoundException($"No simulated input device at {path}.", path);
        }

        if (exclusiveGrab)
        {
            Interlocked.Increment(ref _grabRequests);
        }

        // Throws FileNotFoundException while the scanner is unplugged, as a missing /dev/input node does.
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
    }
}
