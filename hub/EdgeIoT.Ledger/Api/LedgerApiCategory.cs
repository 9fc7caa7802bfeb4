namespace EdgeIoT.Ledger.Api;

/// <summary>Logger category of the HTTP routes.</summary>
public sealed class LedgerApiCategory
{
    private LedgerApiCategory()
    {
    }
}
