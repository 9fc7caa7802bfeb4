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

    public TechnicianException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>Exit code of the command: <see cref="Commands.CommandRunner.Failed"/> unless the input was invalid.</summary>
    public int ExitCode { get; } = Commands.CommandRunner.Failed;
}
