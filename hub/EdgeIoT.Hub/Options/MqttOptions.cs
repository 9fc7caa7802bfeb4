namespace EdgeIoT.Hub.Options;

/// <summary>Settings of the embedded MQTT broker.</summary>
public sealed class MqttOptions
{
    /// <summary>TCP port; 0 lets the operating system choose, and hub.endpoints.json reports the choice.</summary>
    public int Port { get; set; } = 1883;

    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Largest publish payload accepted, in bytes; larger publishes are rejected, not delivered.</summary>
    public int MaxPayloadBytes { get; set; } = 16384;
}
