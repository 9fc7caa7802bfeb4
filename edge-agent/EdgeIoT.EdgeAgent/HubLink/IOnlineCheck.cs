using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>The hub as seen by the decision path: reachable or not, and its online check.</summary>
public interface IOnlineCheck
{
    bool IsConnected { get; }

    /// <summary>How long the hub has been unreachable; zero while connected.</summary>
    TimeSpan OfflineFor { get; }

    /// <summary>
    /// Asks the hub to verify and consume a token. Returns null when the hub is not connected,
    /// sends no response within <paramref name="timeout"/>, or the request fails.
    /// </summary>
    Task<CheckResponse?> CheckAsync(CheckRequest request, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Publishes a readable scan notice at QoS 0; never throws.</summary>
    void PublishScanNotice(ScanNotice notice);

    /// <summary>
    /// Requests the key list and the delegation list from the hub again, at most once per resync
    /// interval. It does nothing while the hub is unreachable, and it never throws.
    /// </summary>
    void RequestKeyResync(KeyResyncRequest request)
    {
    }
}
