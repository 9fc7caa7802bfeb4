using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// What the hub decided about one device publish: the PUBACK reason code, its reason string,
/// and whether the broker should deliver the message on to subscribers.
/// </summary>
public readonly record struct PublishOutcome(MqttPubAckReasonCode ReasonCode, string? ReasonString, bool Forward)
{
    public static PublishOutcome Accepted { get; } = new(MqttPubAckReasonCode.Success, null, Forward: true);

    /// <summary>Accepted, but not delivered to subscribers (events stored before, check requests).</summary>
    public static PublishOutcome Consumed { get; } = new(MqttPubAckReasonCode.Success, null, Forward: false);

    public bool IsSuccess => ReasonCode == MqttPubAckReasonCode.Success;

    public static PublishOutcome Rejected(MqttPubAckReasonCode reasonCode, string reason) => new(reasonCode, reason, Forward: false);
}
