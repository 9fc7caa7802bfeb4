namespace EdgeIoT.Technician;

/// <summary>A failure the technician can act on; its message states what failed and what to do next.</summary>
public sealed class TechnicianException : Exception
{
    public TechnicianException()
    {
    }

    public TechnicianException(string message)
        : base(message)
    {
    }

    public TechnicianException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
