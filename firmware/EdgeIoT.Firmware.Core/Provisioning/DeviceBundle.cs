using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Json;

namespace EdgeIoT.Firmware.Provisioning
{
    /// <summary>
    /// The device configuration bundle the technician CLI writes at enrollment and the
    /// controller reads at boot: identity, MQTT credentials, venue root key, hub address and
    /// Wi-Fi. docs/firmware.md gives the JSON format. The bundle contains secrets (MQTT and
    /// Wi-Fi passwords), so hosts must never log it; <see cref="ToString"/> leaves them out.
    /// </summary>
    public class DeviceBundle
    {
        public const string FormatName = "edgeiot-device-bundle";
        public const int FormatVersion = 1;

        public string DeviceId { get; set; }

        public string Venue { get; set; }

        public uint EventId { get; set; }

        public byte Zone { get; set; }

        /// <summary>Hub HTTP base URL the technician enrolled at; the device does not use it.</summary>
        public string HubUrl { get; set; }

        public string MqttHost { get; set; }

        public int MqttPort { get; set; }

        public string MqttUsername { get; set; }

        public string MqttPassword { get; set; }

        /// <summary>Raw 32-byte Ed25519 public key of the venue root.</summary>
        public byte[] RootPublicKey { get; set; }

        /// <summary>
        /// The event's 32-byte rotating-code key from enrollment, or null for a bundle without
        /// it; the controller then rejects passes offline. A secret, like the passwords.
        /// </summary>
        public byte[] RotatingCodeKey { get; set; }

        public string WifiSsid { get; set; }

        public string WifiPassword { get; set; }

        /// <summary>
        /// Parses and checks a bundle. Returns null, with <paramref name="error"/> naming the
        /// field and the problem, when the document is not a valid version 1 bundle.
        /// </summary>
        public static DeviceBundle TryParse(byte[] utf8Json, out string error)
        {
            JsonValue root = JsonReader.TryParse(utf8Json, out error);
            if (root == null)
            {
                error = "bundle is not valid JSON: " + error;
                return null;
            }

            if (root.Kind != JsonKind.Object)
            {
                error = "bundle must be a JSON object";
                return null;
            }

            BundleFieldReader reader = new BundleFieldReader(root);
            if (reader.RequireString("format", 1, 64) != FormatName)
            {
                error = reader.Error != null ? reader.Error : "format must be \"" + FormatName + "\"";
                return null;
            }

            long version = reader.RequireInteger("version", 1, 1000);
            if (reader.Error == null && version != FormatVersion)
            {
                error = "version " + version.ToString() + " is not supported; this firmware reads version "
                    + FormatVersion.ToString();
                return null;
            }

            DeviceBundle bundle = Read(reader);
            error = reader.Error;
            return error == null ? bundle : null;
        }

        /// <summary>Returns the turnstile settings this bundle provisions; tuning values keep their defaults, and telemetry is on.</summary>
        public TurnstileConfig ToTurnstileConfig()
        {
            TurnstileConfig config = new TurnstileConfig();
            config.DeviceId = DeviceId;
            config.Venue = Venue;
            config.EventId = EventId;
            config.Zone = Zone;
            config.RootPublicKey = RootPublicKey;
            config.RotatingCodeKey = RotatingCodeKey;
            config.TelemetryIntervalMilliseconds = TurnstileConfig.DefaultTelemetryIntervalMilliseconds;
            return config;
        }

        /// <summary>Describes the bundle without its passwords, for logs and console output.</summary>
        public override string ToString()
        {
            return "device " + DeviceId + " at venue " + Venue + ", event " + EventId.ToString() + ", zone "
                + Zone.ToString() + ", broker " + MqttHost + ":" + MqttPort.ToString() + ", Wi-Fi " + WifiSsid;
        }

        private static DeviceBundle Read(BundleFieldReader reader)
        {
            DeviceBundle bundle = new DeviceBundle();
            bundle.DeviceId = reader.RequireDeviceId("deviceId");
            bundle.Venue = reader.RequireString("venue", 1, 64);
            bundle.EventId = (uint)reader.RequireInteger("eventId", 0, uint.MaxValue);
            bundle.Zone = (byte)reader.RequireInteger("zone", 0, 255);
            bundle.HubUrl = reader.OptionalString("hubUrl", 256);
            bundle.RootPublicKey = reader.RequireBase64Key("rootPublicKey", 32);
            bundle.RotatingCodeKey = reader.OptionalBase64Key("rotatingCodeKey", 32);

            BundleFieldReader mqtt = reader.RequireObject("mqtt");
            if (mqtt != null)
            {
                bundle.MqttHost = mqtt.RequireString("host", 1, 253);
                bundle.MqttPort = (int)mqtt.RequireInteger("port", 1, 65535);
                bundle.MqttUsername = mqtt.RequireString("username", 1, 64);
                bundle.MqttPassword = mqtt.RequireString("password", 1, 256);
            }

            // WPA2-Personal takes an SSID of 1 to 32 bytes and a passphrase of 8 to 63
            // characters; an open network has an empty password.
            BundleFieldReader wifi = reader.RequireObject("wifi");
            if (wifi != null)
            {
                bundle.WifiSsid = wifi.RequireString("ssid", 1, 32);
                bundle.WifiPassword = wifi.RequireString("password", 0, 63);
                if (wifi.Error == null && bundle.WifiPassword.Length > 0 && bundle.WifiPassword.Length < 8)
                {
                    wifi.Fail("wifi.password must be empty (open network) or 8 to 63 characters");
                }
            }

            return bundle;
        }
    }
}
