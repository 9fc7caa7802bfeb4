namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// Settings written at enrollment. The values here are placeholders for a bench device;
    /// a production image reads them from the configuration block that nanoff deploys.
    /// </summary>
    public static class DeviceProvisioning
    {
        // NOTE: placeholders; enrollment (POST /api/devices on the hub) returns the real values.
        public const string DeviceId = "esp32-gate-01";
        public const string Venue = "venue";
        public const uint EventId = 1;
        public const byte Zone = 0;
        public const string WifiSsid = "edgeiot-venue";
        public const string WifiPassword = "change-me";
        public const string BrokerHost = "192.168.10.2";
        public const int BrokerPort = 1883;
        public const string MqttPassword = "from-enrollment";

        /// <summary>Venue root public key, base64 of the raw 32 bytes, from the hub's enrollment response.</summary>
        public const string RootPublicKeyBase64 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

        public const int RelayPin = 26;
        public const int PassageSensorPin = 27;
        public const string ScannerPort = "COM2";
        public const int ScannerBaudRate = 9600;
    }
}
