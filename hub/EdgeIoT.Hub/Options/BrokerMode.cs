namespace EdgeIoT.Hub.Options;

/// <summary>Where the venue's MQTT broker runs.</summary>
public enum BrokerMode
{
    /// <summary>The hub runs its own MQTTnet broker and checks every publish before the PUBACK.</summary>
    Embedded,

    /// <summary>
    /// Devices talk to an external broker such as Mosquitto, and the hub connects to it as a
    /// client with a persistent session.
    /// </summary>
    External,
}
