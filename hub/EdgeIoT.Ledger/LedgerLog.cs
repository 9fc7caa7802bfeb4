using Microsoft.Extensions.Logging;

namespace EdgeIoT.Ledger;

/// <summary>Log messages of the ledger, with event ids 3000 to 3099.</summary>
internal static partial class LedgerLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Ledger started with the {Store} store, listening on {Url}")]
    public static partial void Started(ILogger logger, string store, string url);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Applied {Store} schema migration {Version}")]
    public static partial void MigrationApplied(ILogger logger, string store, int version);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Batch from hub {HubId}: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected")]
    public static partial void BatchStored(ILogger logger, string hubId, int accepted, int duplicates, int rejected);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Batch from hub {HubId} had {Rejected} invalid events; first at index {Index}, field {Field}: {Reason}")]
    public static partial void EventsRejected(ILogger logger, string hubId, int rejected, int index, string field, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Batch request rejected with status {StatusCode}: {Reason}")]
    public static partial void BatchRejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Batch from hub {HubId} hit a transient database error on attempt {Attempt}; retrying")]
    public static partial void BatchRetried(ILogger logger, Exception exception, string hubId, int attempt);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Could not write the endpoints file {Path}")]
    public static partial void EndpointsFileFailed(ILogger logger, Exception exception, string path);
}
