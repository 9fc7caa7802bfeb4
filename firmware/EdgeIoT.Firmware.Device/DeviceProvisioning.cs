namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// Wiring of the turnstile board and where the enrollment bundle lives. Identity, MQTT
    /// credentials, root key and Wi-Fi come from the bundle the technician CLI writes and
    /// deploys (docs/firmware.md), never from constants in the image.
    /// </summary>
    public static class DeviceProvisioning
    {
        /// <summary>Path of the bundle on the device's internal storage, where `nanoff --filedeployment` puts it.</summary>
        public const string BundlePath = "I:\\edgeiot-bundle.json";

        public const int RelayPin = 26;
        public const int PassageSensorPin = 27;

        /// <summary>Door position contact (reed switch to ground, high while open); GPIO 32 has an internal pull-up.</summary>
        public const int DoorContactPin = 32;

        /// <summary>Fire alarm panel's release contact (normally closed to ground, high while active); GPIO 33 has an internal pull-up.</summary>
        public const int FireAlarmPin = 33;
        public const string ScannerPort = "COM2";
        public const int ScannerBaudRate = 9600;
    }
}
