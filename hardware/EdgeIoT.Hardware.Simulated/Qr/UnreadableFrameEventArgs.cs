namespace EdgeIoT.Hardware.Simulated;

/// <summary>A camera frame that held no decodable QR code, with the decoder's error.</summary>
public sealed class UnreadableFrameEventArgs(string error, bool blurred) : EventArgs
{
    public string Error { get; } = error;

    /// <summary>
    /// True when the camera blurred the frame on purpose (<see cref="SimulatedCameraOptions.BlurShare"/>).
    /// </summary>
    public bool Blurred { get; } = blurred;
}
