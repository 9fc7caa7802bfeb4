namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>
/// The agent cannot start with its settings: the hub endpoints file is unreadable, or the first
/// enrollment at the hub failed. The message names the setting or URL and what to do, and the
/// command line prints it as one line and exits with code 2.
/// </summary>
public sealed class AgentConfigurationException : InvalidOperationException
{
    public AgentConfigurationException()
    {
    }

    public AgentConfigurationException(string message)
        : base(message)
    {
    }

    public AgentConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
