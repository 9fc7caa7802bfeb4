namespace EdgeIoT.Ledger;

/// <summary>Invalid ledger settings; the message names the setting and the expected value.</summary>
public sealed class LedgerConfigurationException : Exception
{
    public LedgerConfigurationException()
    {
    }

    public LedgerConfigurationException(string message)
        : base(message)
    {
    }

    public LedgerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
