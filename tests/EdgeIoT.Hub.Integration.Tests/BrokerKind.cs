namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>Which MQTT broker the devices of a test talk to.</summary>
public enum BrokerKind
{
    /// <summary>The MQTTnet broker inside the hub process (Hub:Mqtt:Mode=Embedded).</summary>
    Embedded,

    /// <summary>A Mosquitto process the hub connects to as a client (Hub:Mqtt:Mode=External).</summary>
    External,
}
