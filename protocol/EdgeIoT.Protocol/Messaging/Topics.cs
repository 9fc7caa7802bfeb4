namespace EdgeIoT.Protocol.Messaging;

/// <summary>
/// The MQTT topic tree, version 1. docs/mqtt.md describes each topic, its QoS, whether it is
/// retained and its payload. Devices publish only below their own devices/{deviceId} subtree.
/// </summary>
public static class Topics
{
    public const string Root = "edgeiot/v1";

    /// <summary>Durable event (QoS 1); the hub stores it in SQLite before the PUBACK.</summary>
    public static string Event(string venue, string deviceId, string kind) =>
        $"{Root}/{venue}/devices/{deviceId}/events/{kind}";

    public static string EventFilter(string venue) => $"{Root}/{venue}/devices/+/events/+";

    /// <summary>Readable scan notice (QoS 0), never the token itself.</summary>
    public static string Scan(string venue, string deviceId) => $"{Root}/{venue}/devices/{deviceId}/scans";

    /// <summary>Retained online/offline status; the offline form is the last will.</summary>
    public static string Status(string venue, string deviceId) => $"{Root}/{venue}/devices/{deviceId}/status";

    public static string StatusFilter(string venue) => $"{Root}/{venue}/devices/+/status";

    /// <summary>Queue depth and counters (QoS 0).</summary>
    public static string Telemetry(string venue, string deviceId) =>
        $"{Root}/{venue}/devices/{deviceId}/telemetry";

    /// <summary>Reply topic of online checks for one device.</summary>
    public static string CheckResponse(string venue, string deviceId) =>
        $"{Root}/{venue}/devices/{deviceId}/check/response";

    /// <summary>Online check requests (MQTT 5 request/response with correlation data).</summary>
    public static string CheckRequest(string venue) => $"{Root}/{venue}/check/request";

    /// <summary>Retained signed key list (binary, see KeyList).</summary>
    public static string Keys(string venue) => $"{Root}/{venue}/keys";

    /// <summary>Retained delegation certificate list (binary, see DelegationList).</summary>
    public static string Delegations(string venue) => $"{Root}/{venue}/delegations";

    /// <summary>Key resync requests of one device (JSON <see cref="KeyResyncRequest"/>).</summary>
    public static string KeyResyncRequest(string venue, string deviceId) => $"{Root}/{venue}/devices/{deviceId}/keys/request";

    /// <summary>Key resync requests of every device, for the hub's subscription on an external broker.</summary>
    public static string KeyResyncRequestFilter(string venue) => $"{Root}/{venue}/devices/+/keys/request";

    /// <summary>The hub's response to a key resync request: the signed key list.</summary>
    public static string DeviceKeys(string venue, string deviceId) => $"{Root}/{venue}/devices/{deviceId}/keys";

    /// <summary>The hub's response to a key resync request: the delegation list.</summary>
    public static string DeviceDelegations(string venue, string deviceId) => $"{Root}/{venue}/devices/{deviceId}/delegations";

    /// <summary>Retained entitlement snapshot (binary, see EntitlementSnapshot).</summary>
    public static string Snapshot(string venue) => $"{Root}/{venue}/snapshot";

    /// <summary>
    /// Snapshot delta requests (MQTT 5 request/response): a device names the version it holds and
    /// gets a delta or the full snapshot on its response topic.
    /// </summary>
    public static string SnapshotRequest(string venue) => $"{Root}/{venue}/snapshot/request";

    /// <summary>Reply topic of snapshot requests for one device.</summary>
    public static string SnapshotResponse(string venue, string deviceId) =>
        $"{Root}/{venue}/devices/{deviceId}/snapshot/response";

    /// <summary>Retained offline policy (JSON).</summary>
    public static string Policy(string venue) => $"{Root}/{venue}/policy";

    /// <summary>Hub time beacon (JSON), published every few seconds.</summary>
    public static string Time(string venue) => $"{Root}/{venue}/time";

    /// <summary>Splits a device topic into device id and the rest; false for other topics.</summary>
    public static bool TryParseDeviceTopic(string topic, string venue, out string deviceId, out string rest)
    {
        ArgumentNullException.ThrowIfNull(topic);

        deviceId = string.Empty;
        rest = string.Empty;
        string prefix = $"{Root}/{venue}/devices/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        int slash = topic.IndexOf('/', prefix.Length);
        if (slash <= prefix.Length)
        {
            return false;
        }

        deviceId = topic[prefix.Length..slash];
        rest = topic[(slash + 1)..];
        return true;
    }
}
