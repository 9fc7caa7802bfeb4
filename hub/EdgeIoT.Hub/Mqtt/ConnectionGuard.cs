using EdgeIoT.Hub.Dashboard;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>Authenticates device connections, enforces subscription permissions and records last-seen times.</summary>
public sealed class ConnectionGuard(
    DeviceStore devices, HubActivity activity, HubOptions options, TimeProvider time, ILogger<ConnectionGuard> logger)
{
    private readonly TopicAcl _acl = new(options.Venue);

    public Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        if (string.IsNullOrEmpty(args.ClientId))
        {
            // MQTT 5 section 3.1.3.1: the server assigns an id to a client that sent none, as
            // mosquitto_sub does by default. Assigned first, so a rejected login still gets its
            // own reason code. MQTT 3.1.1 clients must send one (-i).
            args.AssignedClientIdentifier = "client-" + Guid.NewGuid().ToString("N");
        }

        if (Authenticate(args) is (MqttConnectReasonCode reasonCode, string problem))
        {
            args.ReasonCode = reasonCode;
            BrokerLog.ConnectionRejected(logger, args.RemoteEndPoint?.ToString(), problem, args.ClientId, args.UserName);
            return Task.CompletedTask;
        }

        SessionIdentity.SetDevice(args.SessionItems, args.UserName!);
        return Task.CompletedTask;
    }

    // CONNACK reason codes follow MQTT 5 section 3.2.2.2. No user name gets 0x87 Not authorized,
    // and the hub's reserved client id gets 0x85 Client Identifier not valid. An unknown device
    // or a wrong password gets 0x86 Bad User Name or Password.
    private (MqttConnectReasonCode ReasonCode, string Problem)? Authenticate(ValidatingConnectionEventArgs args)
    {
        if (string.IsNullOrEmpty(args.UserName))
        {
            return (MqttConnectReasonCode.NotAuthorized, "anonymous connections are not allowed");
        }

        if (args.ClientId == HubBroker.HubClientId)
        {
            return (MqttConnectReasonCode.ClientIdentifierNotValid, "the client id is reserved for the hub");
        }

        if (!devices.VerifyPassword(args.UserName, args.Password))
        {
            return (MqttConnectReasonCode.BadUserNameOrPassword, "unknown device or wrong password");
        }

        return null;
    }

    public Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        string deviceId = SessionIdentity.GetDevice(args.SessionItems, args.UserName);
        if (!_acl.CanSubscribe(deviceId, args.TopicFilter.Topic))
        {
            args.ProcessSubscription = false;
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            BrokerLog.SubscriptionRejected(logger, deviceId, args.TopicFilter.Topic);
        }

        return Task.CompletedTask;
    }

    public Task OnClientConnectedAsync(ClientConnectedEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        BrokerLog.DeviceConnected(logger, args.UserName, args.RemoteEndPoint?.ToString());
        activity.OnConnected();
        RecordSeen(args.UserName, "online", args.ClientId);
        return Task.CompletedTask;
    }

    public Task OnClientDisconnectedAsync(ClientDisconnectedEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        activity.OnDisconnected();
        if (!string.IsNullOrEmpty(args.UserName))
        {
            BrokerLog.DeviceDisconnected(logger, args.UserName, args.DisconnectType.ToString());
            RecordSeen(args.UserName, "offline", args.ClientId);
        }

        return Task.CompletedTask;
    }

    private void RecordSeen(string? deviceId, string state, string clientId)
    {
        if (string.IsNullOrEmpty(deviceId))
        {
            return;
        }

        try
        {
            devices.RecordSeen(deviceId, state, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            BrokerLog.HandlerFailed(logger, exception, clientId);
        }
    }
}
