namespace EdgeIoT.Firmware.App
{
    /// <summary>Receives the broker's response to a QoS 1 publish: true after PUBACK, false when it failed.</summary>
    public delegate void PublishCompletedHandler(bool acknowledged);

    /// <summary>The device's MQTT client, implemented with M2Mqtt on a device and MQTTnet on .NET.</summary>
    public interface IMqttTransport
    {
        bool IsConnected { get; }

        /// <summary>
        /// Publishes with QoS 1 when <paramref name="atLeastOnce"/> is true, else QoS 0, and calls
        /// <paramref name="completed"/> exactly once, from any thread, when the outcome is known.
        /// </summary>
        void Publish(string topic, byte[] payload, bool atLeastOnce, PublishCompletedHandler completed);

        /// <summary>
        /// Publishes <paramref name="payload"/> retained with QoS 1 on the device's status topic,
        /// replacing the status the broker holds. The outcome is not reported: a status lost
        /// with the link is replaced by the one the transport publishes at the next connect.
        /// </summary>
        void PublishStatus(byte[] payload);
    }
}
