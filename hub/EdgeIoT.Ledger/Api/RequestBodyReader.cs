namespace EdgeIoT.Ledger.Api;

/// <summary>Reads a request body into memory up to a size limit.</summary>
internal static class RequestBodyReader
{
    private const int ChunkSize = 81920;

    /// <summary>
    /// Returns the body, or status 413 when it is larger than <paramref name="maxBytes"/>. The
    /// rest of an oversize body is read and discarded so the client receives the 413 instead
    /// of a reset connection.
    /// </summary>
    public static async Task<BodyReadResult> ReadAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            await DiscardAsync(request.Body, cancellationToken);
            return BodyReadResult.TooLarge(declared, maxBytes);
        }

        using var content = new MemoryStream();
        var buffer = new byte[ChunkSize];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total <= maxBytes)
            {
                content.Write(buffer, 0, read);
            }
        }

        return total > maxBytes
            ? BodyReadResult.TooLarge(total, maxBytes)
            : new BodyReadResult(content.ToArray(), 0, null);
    }

    private static async Task DiscardAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        while (await body.ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }
}
