using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// Topic permissions of a device: it publishes only below its own devices/{deviceId} subtree and
/// to the venue's check and snapshot request topics, and subscribes only to its own subtree and the venue
/// distribution topics (keys, delegations, snapshot, policy, time). The operator account may subscribe
/// to every EdgeIoT topic and publish nothing.
/// </summary>
public sealed class TopicAcl(string venue)
{
    private readonly HashSet<string> _distributionTopics =
        [Topics.Keys(venue), Topics.Delegations(venue), Topics.Snapshot(venue), Topics.Policy(venue), Topics.Time(venue)];

    public bool CanPublish(string deviceId, string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);

        if (deviceId == SessionIdentity.OperatorUserName)
        {
            return false;
        }

        return topic == Topics.CheckRequest(venue) || topic == Topics.SnapshotRequest(venue)
            || IsInOwnSubtree(deviceId, topic);
    }

    public bool CanSubscribe(string deviceId, string topicFilter)
    {
        ArgumentNullException.ThrowIfNull(topicFilter);

        if (deviceId == SessionIdentity.OperatorUserName)
        {
            // Every topic on this broker is an EdgeIoT topic, and "#" never matches "$" topics
            // (MQTT 5 section 4.7.2), so a plain "mosquitto_sub -t '#'" is allowed.
            return topicFilter.StartsWith(Topics.Root + "/", StringComparison.Ordinal)
                || topicFilter is "edgeiot/#" or "#";
        }

        return _distributionTopics.Contains(topicFilter)
            || IsInOwnSubtree(deviceId, topicFilter)
            || topicFilter == OwnSubtreePrefix(deviceId) + "#";
    }

    /// <summary>Returns whether the topic (or filter) lies strictly below devices/{deviceId}/.</summary>
    public bool IsInOwnSubtree(string deviceId, string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);

        string prefix = OwnSubtreePrefix(deviceId);
        return topic.Length > prefix.Length && topic.StartsWith(prefix, StringComparison.Ordinal);
    }

    private string OwnSubtreePrefix(string deviceId) => $"{Topics.Root}/{venue}/devices/{deviceId}/";
}
