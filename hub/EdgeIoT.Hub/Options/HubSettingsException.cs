namespace EdgeIoT.Hub.Options;

/// <summary>
/// A hub setting has an invalid value. The message names the setting and the value in one line,
/// and the command line prints it and exits with code 2.
/// </summary>
public sealed class HubSettingsException : InvalidOperationException
{
    public HubSettingsException()
    {
    }

    public HubSettingsException(string message)
        : base(message)
    {
    }

    public HubSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
