namespace EdgeIoT.Protocol.Messaging;

/// <summary>A reconnect back-off wait that is about to start.</summary>
public sealed class ReconnectScheduledEventArgs(int failures, TimeSpan delay) : EventArgs
{
    /// <summary>Failed attempts so far in this connection cycle.</summary>
    public int Failures { get; } = failures;

    public TimeSpan Delay { get; } = delay;
}
