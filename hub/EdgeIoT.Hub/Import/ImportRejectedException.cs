namespace EdgeIoT.Hub.Import;

/// <summary>An import that would leave too few entitlements; nothing was changed.</summary>
public sealed class ImportRejectedException : Exception
{
    public ImportRejectedException()
    {
        Rejected = [];
    }

    public ImportRejectedException(string message)
        : base(message)
    {
        Rejected = [];
    }

    public ImportRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rejected = [];
    }

    public ImportRejectedException(string message, IReadOnlyList<ImportRowError> rejected)
        : base(message)
    {
        Rejected = rejected;
    }

    public IReadOnlyList<ImportRowError> Rejected { get; }
}
