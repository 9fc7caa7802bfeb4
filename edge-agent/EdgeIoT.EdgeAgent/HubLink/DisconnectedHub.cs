using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>A hub that is never reachable, for benchmarks and offline-only lanes.</summary>
public sealed class DisconnectedHub : IOnlineCheck
{
    public static readonly DisconnectedHub Instance = new();

    public bool IsConnected => false;

    public TimeSpan OfflineFor => TimeSpan.MaxValue;

    public Task<CheckResponse?> CheckAsync(
        CheckRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult<CheckResponse?>(null);

    public void PublishScanNotice(ScanNotice notice)
    {
    }
}
