namespace EdgeIoT.Firmware.App
{
    /// <summary>The MQTT topics a turnstile uses; the same tree as EdgeIoT.Protocol.Messaging.Topics.</summary>
    public static class FirmwareTopics
    {
        public const string Root = "edgeiot/v1";

        public static string Event(string venue, string deviceId, string kind)
        {
            return Root + "/" + venue + "/devices/" + deviceId + "/events/" + kind;
        }

        public static string Status(string venue, string deviceId)
        {
            return Root + "/" + venue + "/devices/" + deviceId + "/status";
        }

        /// <summary>Topic of the device's periodic telemetry sample (QoS 0).</summary>
        public static string Telemetry(string venue, string deviceId)
        {
            return Root + "/" + venue + "/devices/" + deviceId + "/telemetry";
        }

        public static string Keys(string venue)
        {
            return Root + "/" + venue + "/keys";
        }

        public static string Snapshot(string venue)
        {
            return Root + "/" + venue + "/snapshot";
        }

        public static string Policy(string venue)
        {
            return Root + "/" + venue + "/policy";
        }

        public static string Time(string venue)
        {
            return Root + "/" + venue + "/time";
        }
    

        /// <summary>Delegation certificate list, retained, next to the key list.</summary>
        public static string Delegations(string venue)
        {
            return Root + "/" + venue + "/delegations";
        }

        /// <summary>Topic of a device's requests for the key list and delegation list.</summary>
        public static string KeyResyncRequest(string venue, string deviceId)
        {
            return Root + "/" + venue + "/devices/" + deviceId + "/keys/request";
        }

        /// <summary>Topic of the hub's response to a resync request: the signed key list.</summary>
        public static string DeviceKeys(string venue, string deviceId)
        {
            return Root + "/" + venue + "/devices/" + deviceId + "/keys";
        }

        /// <summary>Topic of the hub's response to a resync request: the delegation list.</summary>
        public static string DeviceDelegations(string venue, string deviceId)
        {
            return Root + "/" + venue + "/devices/" + deviceId + "/delegations";
        }
    }
}
