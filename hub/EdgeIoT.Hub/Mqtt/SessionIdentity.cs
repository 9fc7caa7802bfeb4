using System.Collections;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// The identity the broker proved at CONNECT, kept in the MQTT session items. Publishes that the
/// broker makes on a client's behalf (its last will) carry the same items, and the hub's own
/// injected publishes carry a marker that no network client can set.
/// </summary>
internal static class SessionIdentity
{
    /// <summary>User name of the operator account, which may watch every topic and publish none.</summary>
    public const string OperatorUserName = "operator";

    private const string DeviceIdKey = "edgeiot.deviceId";
    private const string HubKey = "edgeiot.hub";

    public static void SetDevice(IDictionary items, string deviceId) => items[DeviceIdKey] = deviceId;

    /// <summary>Returns the authenticated device id, falling back to the user name of the packet.</summary>
    public static string GetDevice(IDictionary? items, string? userName) =>
        items?[DeviceIdKey] as string ?? userName ?? string.Empty;

    public static bool IsHub(IDictionary? items) => items?[HubKey] is true;

    public static Hashtable HubItems() => new() { [HubKey] = true };
}
