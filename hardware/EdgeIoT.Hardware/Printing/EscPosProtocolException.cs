namespace EdgeIoT.Hardware;

/// <summary>The printer sent bytes that are not a valid ESC/POS reply.</summary>
public sealed class EscPosProtocolException : Exception
{
    public EscPosProtocolException()
    {
    }

    public EscPosProtocolException(string message)
        : base(message)
    {
    }

    public EscPosProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
