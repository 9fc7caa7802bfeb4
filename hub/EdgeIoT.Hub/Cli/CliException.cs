namespace EdgeIoT.Hub.Cli;

/// <summary>A runbook command failed in a way the operator can fix; the message says how.</summary>
public sealed class CliException : Exception
{
    /// <summary>Exit code for a usage or connection problem.</summary>
    public const int UsageError = 2;

    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; } = UsageError;
}
