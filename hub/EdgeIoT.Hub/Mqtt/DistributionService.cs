using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// Publishes what every device needs: the signed key list, the delegation list, the entitlement
/// snapshot and the offline policy (retained, republished on change), and a time beacon every 2 s. It also
/// drives the key rotation.
/// </summary>
public sealed class DistributionService(
    HubBroker broker,
    KeyRing keys,
    DelegationDirectory delegations,
    SnapshotCache snapshot,
    HubOptions options,
    TimeProvider time,
    AuditLog audit,
    BeaconEpoch epoch,
    ILogger<DistributionService> logger) : BackgroundService
{
    private static readonly TimeSpan BeaconInterval = TimeSpan.FromSeconds(2);

    private byte[]? _publishedDelegations;
    private Task _keyListPublish = Task.CompletedTask;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        keys.KeyListChanged += PublishKeys;
        snapshot.Changed += PublishSnapshot;
        await broker.PublishRetainedAsync(Topics.Keys(options.Venue), keys.SignedKeyList, cancellationToken)
            .ConfigureAwait(false);
        await PublishSnapshotAsync(cancellationToken).ConfigureAwait(false);
        await PublishDelegationsAsync(cancellationToken).ConfigureAwait(false);
        await PublishPolicyAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        keys.KeyListChanged -= PublishKeys;
        snapshot.Changed -= PublishSnapshot;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The beacon is not retained: a retained beacon would hand a stale clock to a connecting device.
        using var timer = new PeriodicTimer(BeaconInterval, time);
        do
        {
            try
            {
                keys.Rotate();
                await AwaitKeyListPublishAsync(stoppingToken).ConfigureAwait(false);
                await PublishBeaconAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                BrokerLog.HubPublishFailed(logger, exception, Topics.Time(options.Venue));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    // When no listed key covers the time, the rotation adds one that signs at once, so the key
    // list goes out before the beacon that may be signed by it. An external broker that is slow
    // to acknowledge delays the beacon by one interval at most.
    private async Task AwaitKeyListPublishAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _keyListPublish).WaitAsync(BeaconInterval, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            BrokerLog.KeyListPublishSlow(logger, BeaconInterval.TotalSeconds);
        }
    }

    private Task PublishBeaconAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        long hubTimeMs = now.ToUnixTimeMilliseconds();
        var beacon = BeaconSigner.Sign(keys.SigningKeyAt(now), options.EventId, epoch.EpochAt(hubTimeMs), hubTimeMs);
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Time(options.Venue))
            .WithPayload(ProtocolJson.Serialize(beacon))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        return broker.PublishAsync(message, cancellationToken);
    }

    private void PublishKeys() => Volatile.Write(ref _keyListPublish, ObserveAsync(Topics.Keys(options.Venue),
        broker.PublishRetainedAsync(Topics.Keys(options.Venue), keys.SignedKeyList)));

    // Adding or cancelling an assistant rebuilds the snapshot, so the delegation list follows it.
    private void PublishSnapshot()
    {
        _ = ObserveAsync(Topics.Snapshot(options.Venue), PublishSnapshotAsync(CancellationToken.None));
        _ = ObserveAsync(Topics.Delegations(options.Venue), PublishDelegationsAsync(CancellationToken.None));
    }

    private Task PublishDelegationsAsync(CancellationToken cancellationToken)
    {
        // Most snapshot changes are imports and walk-ins that leave the certificates as they are.
        byte[] list = delegations.BuildList();
        byte[]? previous = Interlocked.Exchange(ref _publishedDelegations, list);
        return previous is not null && previous.AsSpan().SequenceEqual(list)
            ? Task.CompletedTask
            : broker.PublishRetainedAsync(Topics.Delegations(options.Venue), list, cancellationToken);
    }

    private Task PublishSnapshotAsync(CancellationToken cancellationToken)
    {
        // An empty retained payload would delete the retained snapshot, so nothing is published
        // until the first import.
        byte[] bytes = snapshot.Bytes;
        return bytes.Length == 0
            ? Task.CompletedTask
            : broker.PublishRetainedAsync(Topics.Snapshot(options.Venue), bytes, cancellationToken);
    }

    private async Task PublishPolicyAsync(CancellationToken cancellationToken)
    {
        string? path = options.PolicyFile;
        if (string.IsNullOrWhiteSpace(path))
        {
            BrokerLog.PolicyMissing(
                logger, "(none)", "is configured; set Hub:PolicyFile, or pass --policy to hub init");
            return;
        }

        if (!File.Exists(path))
        {
            BrokerLog.PolicyMissing(logger, path, "does not exist");
            return;
        }

        byte[] policy = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        await broker.PublishRetainedAsync(Topics.Policy(options.Venue), policy, cancellationToken).ConfigureAwait(false);
        audit.Append(AuditKinds.PolicyChange, AuditActors.Hub, new
        {
            change = "publish",
            path = Path.GetFullPath(path),
            sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(policy)),
            bytes = policy.Length,
        });
    }

    private async Task ObserveAsync(string topic, Task publish)
    {
        try
        {
            await publish.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            BrokerLog.HubPublishFailed(logger, exception, topic);
        }
    }
}
