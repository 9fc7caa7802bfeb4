namespace EdgeIoT.Ledger.Api;

/// <summary>A request body, or the status and message when it could not be used.</summary>
internal sealed record BodyReadResult(ReadOnlyMemory<byte> Content, int ErrorStatus, string? Error)
{
    public static BodyReadResult TooLarge(long bytes, long maxBytes) => new(
        ReadOnlyMemory<byte>.Empty,
        StatusCodes.Status413PayloadTooLarge,
        $"request body has {bytes} bytes, the maximum is {maxBytes}; split the batch into smaller batches");
}
